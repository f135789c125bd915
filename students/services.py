"""Who a participant is for an organization: reconciliation with a school's roster, or, outside schools,
a learner made from the account itself."""

from django.db import IntegrityError, transaction

from pixorga import ratelimits

from .models import LearnerClaim, OrganizationLearner
from .names import normalize_name


class ReconciliationError(Exception):
    """The pupil could not be matched with the school's roster; the message tells him what to do."""


NO_MATCH_MESSAGE = (
    "Nous n'avons pas trouvé d'élève correspondant à ces nom, prénom et date de naissance dans "
    "cet établissement. Vérifiez votre saisie ou rapprochez-vous de votre enseignant."
)
ALREADY_LINKED_MESSAGE = (
    "Cet élève est déjà rattaché à un autre compte. Rapprochez-vous de votre enseignant pour "
    "retrouver votre compte."
)


def learner_of_user(*, organization, user):
    return OrganizationLearner.objects.filter(organization=organization, user=user, is_disabled=False).first()


def learner_for_participant(*, organization, user):
    """The learner a participation of `user` in `organization` belongs to.

    A school only knows the pupils of its roster: None means the pupil must reconcile first. Other
    organizations know their participants by their account.
    """
    learner = learner_of_user(organization=organization, user=user)
    if learner is not None or organization.is_school:
        return learner
    try:
        with transaction.atomic():
            return OrganizationLearner.objects.create(
                organization=organization,
                user=user,
                first_name=user.first_name or user.username,
                last_name=user.last_name or user.username,
            )
    except IntegrityError:
        return OrganizationLearner.objects.get(organization=organization, user=user)


def _reconciliation_counters(*, organization, user, first_name, last_name):
    """Failed attempts count per account and per roster entry (the school and the names tried), so that
    trying birth dates for one pupil is slow from any number of accounts."""
    entry = ratelimits.hashed(organization.pk, normalize_name(last_name), normalize_name(first_name))
    return [("reconcile-user", f"user:{user.pk}"), ("reconcile-learner", entry)]


def learner_reconcile(*, organization, user, first_name, last_name, birthdate):
    """Link `user` for good to the pupil of the school's roster with these names and birth date.

    Raises ReconciliationError (counted as a failed attempt) or, once too many attempts failed,
    pixorga.ratelimits.RateLimitExceeded, before anything is compared.
    """
    counters = _reconciliation_counters(
        organization=organization, user=user, first_name=first_name, last_name=last_name
    )
    ratelimits.check(counters)
    try:
        return _learner_link(
            organization=organization,
            user=user,
            first_name=first_name,
            last_name=last_name,
            birthdate=birthdate,
        )
    except ReconciliationError:
        ratelimits.count(counters)
        raise


def _learner_link(*, organization, user, first_name, last_name, birthdate):
    with transaction.atomic():
        candidates = list(
            OrganizationLearner.objects.select_for_update().filter(
                organization=organization,
                is_disabled=False,
                normalized_first_name=normalize_name(first_name),
                normalized_last_name=normalize_name(last_name),
                birthdate=birthdate,
            )[:2]
        )
        if len(candidates) != 1:
            # Two pupils with the same names and birth date: only the teacher can tell them apart.
            raise ReconciliationError(NO_MATCH_MESSAGE)
        learner = candidates[0]
        if learner.user_id == user.pk:
            return learner
        # Only here, names and birth date proven, may the pupil learn that the entry is taken: before, « not
        # found » is all anyone is told.
        if learner.user_id is not None:
            raise ReconciliationError(ALREADY_LINKED_MESSAGE)
        if OrganizationLearner.objects.filter(organization=organization, user=user).exists():
            raise ReconciliationError(
                "Votre compte est déjà rattaché à un autre élève de cet établissement. "
                "Rapprochez-vous de votre enseignant."
            )
        learner.user = user
        learner.save(update_fields=["user"])
        LearnerClaim.objects.create(learner=learner, user=user)
        return learner
