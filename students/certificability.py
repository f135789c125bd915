"""A learner's certificabilité, as the Élèves list shows it: the newer of his last sending in a
profiles-collection campaign (frozen at sending) and a computation on his live Pix profile, which a
nightly job refreshes for every school. Both apply the one rule of profiles.certifiability, through the
profile summaries of profiles.scoring; this module only decides which one is the newest and stores it."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organization
from profiles.models import CompetencePix
from profiles.scoring import summarize_profile

from .models import OrganizationLearner

Certificability = OrganizationLearner.Certificability
Source = OrganizationLearner.CertificabilitySource
UPDATE_BATCH_SIZE = 1000


def certificability_status(is_certifiable):
    return Certificability.CERTIFIABLE if is_certifiable else Certificability.NOT_CERTIFIABLE


def learner_certificability_from_sending(*, participation):
    """The sending of `participation` becomes its learner's certificabilité, unless a computation newer
    than it is already stored. Runs in the sending's transaction."""
    snapshot = participation.snapshot
    if snapshot is None or not participation.campaign.is_profiles_collection:
        return
    OrganizationLearner.objects.filter(pk=participation.learner_id).filter(
        Q(certificability_at__isnull=True) | Q(certificability_at__lte=snapshot.taken_at)
    ).update(
        certificability=certificability_status(snapshot.is_certifiable),
        certifiable_competences_count=snapshot.certifiable_competences_count,
        certificability_at=snapshot.taken_at,
        certificability_source=Source.SENDING,
    )


def organization_certificability_refresh(*, organization_id, now=None):
    """Compute the certificabilité of every enabled learner with an account from his live profile.

    Two queries read (the learners, then every pix of their accounts); the writes are one UPDATE per
    distinct result (at most 2 × 17 of them), not one per learner, so that a lycée of 3,000 pupils takes
    well under a second. Returns how many learners were computed.
    """
    now = now or timezone.now()
    with_account = OrganizationLearner.objects.filter(
        organization_id=organization_id, is_disabled=False, user__isnull=False
    )
    learners = list(with_account.values_list("pk", "user_id"))
    pix_by_user = defaultdict(dict)
    live_pix = CompetencePix.objects.filter(user__in=with_account.values("user_id")).values_list(
        "user_id", "competence__code", "pix"
    )
    for user_id, code, pix in live_pix.iterator(chunk_size=5000):
        pix_by_user[user_id][code] = pix
    max_level = settings.PIX_MAX_REACHABLE_LEVEL
    learners_by_result = defaultdict(list)
    for learner_id, user_id in learners:
        summary = summarize_profile(pix_by_user.get(user_id, {}), max_level=max_level)
        learners_by_result[(summary.is_certifiable, summary.certifiable_competences_count)].append(learner_id)
    for (is_certifiable, count), learner_ids in learners_by_result.items():
        for start in range(0, len(learner_ids), UPDATE_BATCH_SIZE):
            OrganizationLearner.objects.filter(pk__in=learner_ids[start : start + UPDATE_BATCH_SIZE]).update(
                certificability=certificability_status(is_certifiable),
                certifiable_competences_count=count,
                certificability_at=now,
                certificability_source=Source.LIVE_PROFILE,
            )
    return len(learners)


def schools_to_refresh():
    """The ids of the schools with at least one enabled learner who has an account."""
    return list(
        Organization.objects.filter(
            type=Organization.Type.SCO, learners__is_disabled=False, learners__user__isnull=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()
    )
