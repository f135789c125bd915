"""Step 6 of the guide, « Relancer les élèves non certifiables »: whom to chase in a campaign, what to tell
them, and the record of every relaunch.

Three groups of pupils are chased: those of the school's roster who never joined the campaign, those who
joined and did not send, and those whose latest sending is not certifiable (with how many competences they
still lack, and which ones are closest to level 1). An assessment has no certifiability: only the first
two groups are chased there.

For the pupils of a collection who are not certifiable, one click creates an assessment on the
competences they lack (« Proposer aux élèves non certifiables une nouvelle campagne d'évaluation »); they
are then relaunched towards it, and the relaunch is recorded on the collection, where they were found.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from evaluation.selectors import topics_with_challenges
from profiles.certifiability import MINIMUM_CERTIFIABLE_COMPETENCES
from profiles.framework import COMPETENCES
from profiles.scoring import competences_closest_to_level_one
from students.models import OrganizationLearner

from . import services
from .models import Campaign, Participation, Relaunch, RelaunchRecipient
from .tasks import relaunch_send_emails

COMPETENCE_NAMES = {competence.code: competence.name for competence in COMPETENCES}
# A teacher is warned before chasing again a pupil chased this recently.
RECENT_RELAUNCH = datetime.timedelta(hours=24)


class Group:
    NEVER_JOINED = "jamais-rejoint"
    PENDING = "en-attente"
    NOT_CERTIFIABLE = "non-certifiables"
    LABELS = {
        NEVER_JOINED: "N'ont pas rejoint la campagne",
        PENDING: "Ont rejoint sans envoyer leur profil",
        NOT_CERTIFIABLE: "Non certifiables",
    }
    ASSESSMENT_LABELS = LABELS | {PENDING: "Ont rejoint sans envoyer leurs résultats"}
    ORDER = {NEVER_JOINED: 0, PENDING: 1, NOT_CERTIFIABLE: 2}

    @classmethod
    def labels(cls, campaign):
        return cls.ASSESSMENT_LABELS if campaign.is_assessment else cls.LABELS


class RelaunchError(Exception):
    """The relaunch was refused; the message says why, in French."""


def relaunch_groups(campaign):
    """The groups this campaign can chase: only a school has a roster of pupils who never joined, and
    only a collection knows who is certifiable."""
    groups = [Group.PENDING]
    if campaign.is_profiles_collection:
        groups.append(Group.NOT_CERTIFIABLE)
    if campaign.organization.is_school:
        groups.insert(0, Group.NEVER_JOINED)
    return groups


def relaunch_candidates(*, campaign, groups, divisions=(), relaunched=None):
    """The pupils of the organization in the chosen groups, annotated with their group and, for those not
    certifiable, their count of certifiable competences; by class then name.

    `relaunched` is None (everyone), True (already chased in this campaign) or False (never chased).
    """
    participations = Participation.objects.filter(campaign_id=campaign.pk, learner_id=OuterRef("pk"))
    live = participations.filter(is_improved=False)
    latest = participations.filter(is_latest_sending=True, deleted_at__isnull=True)
    learners = OrganizationLearner.objects.filter(
        organization_id=campaign.organization_id, is_disabled=False
    ).annotate(
        joined=Exists(live),
        deleted=Exists(live.filter(deleted_at__isnull=False)),
        sent=Exists(latest),
        sent_certifiable_count=Subquery(latest.values("certifiable_competences_count")[:1]),
    )
    conditions = {
        Group.NEVER_JOINED: Q(joined=False),
        Group.PENDING: Q(joined=True, deleted=False, sent=False),
        Group.NOT_CERTIFIABLE: Q(sent=True, sent_certifiable_count__lt=MINIMUM_CERTIFIABLE_COMPETENCES),
    }
    chosen = [group for group in relaunch_groups(campaign) if group in groups]
    if not chosen:
        return learners.none()
    wanted = Q()
    for group in chosen:
        wanted |= conditions[group]
    learners = learners.filter(wanted).annotate(
        group_rank=Case(
            *(When(conditions[group], then=Value(Group.ORDER[group])) for group in chosen),
            output_field=IntegerField(),
        )
    )
    if divisions:
        learners = learners.filter(division__in=divisions)
    if relaunched is not None:
        chased = RelaunchRecipient.objects.filter(
            relaunch__campaign_id=campaign.pk, learner_id=OuterRef("pk")
        )
        learners = learners.filter(Exists(chased) if relaunched else ~Exists(chased))
    return learners.order_by("division", "last_name", "first_name", "pk")


@dataclass
class Candidate:
    learner: OrganizationLearner
    group: str
    missing: int | None
    relaunched_at: datetime.datetime | None
    work_on: list  # names of the competences closest to level 1, for a pupil not certifiable
    work_on_codes: list = field(default_factory=list)  # their codes
    group_label: str = ""

    def __post_init__(self):
        self.group_label = self.group_label or Group.LABELS[self.group]

    @property
    def recently_relaunched(self):
        return self.relaunched_at is not None and timezone.now() - self.relaunched_at < RECENT_RELAUNCH


def last_relaunches(*, campaign, learner_ids):
    """When each of these pupils was last chased in this campaign (one query, for one page of a list)."""
    dates = {}
    rows = (
        RelaunchRecipient.objects.filter(relaunch__campaign_id=campaign.pk, learner_id__in=learner_ids)
        .values_list("learner_id", "relaunch__created_at")
        .order_by("learner_id", "relaunch__created_at")
    )
    for learner_id, created_at in rows:
        dates[learner_id] = created_at
    return dates


def candidates_detail(*, campaign, learners, with_competences=False):
    """Candidate rows for these learners: their group, what they miss, when they were last chased and,
    if asked, the competences to work on first (read from their latest sending)."""
    learners = list(learners)
    ids = [learner.pk for learner in learners]
    chased = last_relaunches(campaign=campaign, learner_ids=ids)
    competences = {}
    if with_competences:
        competences = dict(
            Participation.objects.filter(
                campaign_id=campaign.pk, learner_id__in=ids, is_latest_sending=True, deleted_at__isnull=True
            ).values_list("learner_id", "snapshot__competences")
        )
    ranks = {rank: group for group, rank in Group.ORDER.items()}
    labels = Group.labels(campaign)
    rows = []
    for learner in learners:
        group = ranks[learner.group_rank]
        missing = None
        codes = []
        if group == Group.NOT_CERTIFIABLE:
            missing = MINIMUM_CERTIFIABLE_COMPETENCES - learner.sent_certifiable_count
            if learner.pk in competences:
                codes = competences_closest_to_level_one(competences[learner.pk], limit=missing)
        rows.append(
            Candidate(
                learner,
                group,
                missing,
                chased.get(learner.pk),
                [COMPETENCE_NAMES[code] for code in codes],
                codes,
                labels[group],
            )
        )
    return rows


ASSESSMENT_NAME = "Évaluation — compétences manquantes — {name}"


def missing_competences_assessment_create(*, campaign, learners, user):
    """« Créer une campagne d'évaluation sur les compétences manquantes »: an assessment owned by `user`,
    targeted at every topic of the competences that the chosen non-certifiable pupils of the collection
    `campaign` lack — for each of them, those closest to level 1 that he needs."""
    rows = candidates_detail(campaign=campaign, learners=learners, with_competences=True)
    codes = sorted({code for row in rows if row.group == Group.NOT_CERTIFIABLE for code in row.work_on_codes})
    if not codes:
        raise RelaunchError(
            "Aucun des élèves sélectionnés n'est non certifiable\u00a0: sélectionnez les élèves non "
            "certifiables pour qui créer la campagne d'évaluation."
        )
    topics = list(topics_with_challenges().filter(competence__code__in=codes))
    if not topics:
        raise RelaunchError(
            "La banque de questions n'a pas encore de questions sur les compétences qui leur manquent."
        )
    name = ASSESSMENT_NAME.format(name=campaign.name)[: Campaign._meta.get_field("name").max_length]
    return services.campaign_create(
        organization=campaign.organization,
        creator=user,
        owner=user,
        name=name,
        type=Campaign.Type.ASSESSMENT,
        target_topics=topics,
    )


def default_message(*, campaign, join_url, home_url, groups, author, target=None):
    """A ready-to-paste French message for Pronote, the ENT or an e-mail; the teacher may edit it.

    `target` is the assessment the pupils of the collection `campaign` are sent to, when there is one."""
    if target is not None:
        return _assessment_message(
            collection=campaign, assessment=target, join_url=join_url, home_url=home_url, author=author
        )
    if campaign.is_assessment:
        what, button = "passez l'évaluation", "J'envoie mes résultats"
        steps = f"répondez aux questions, puis cliquez sur «\u00a0{button}\u00a0»"
    else:
        what, button = "envoyez votre profil Pix", "J'envoie mon profil"
        steps = f"puis sur «\u00a0{button}\u00a0»"
    lines = [
        "Bonjour,",
        "",
        f"Pour préparer la certification Pix, {what} à {campaign.organization.name} "
        f"dans la campagne «\u00a0{campaign.name}\u00a0».",
        "",
        f"1. Connectez-vous sur pixorga\u00a0: {home_url}",
        f"2. Saisissez le code {campaign.code}, ou ouvrez directement ce lien\u00a0: {join_url}",
        f"3. Cliquez sur «\u00a0C'est parti\u00a0!\u00a0», {steps}.",
        "",
        "Pour être certifiable, il faut avoir le niveau 1 dans au moins 5 des 16 compétences.",
    ]
    if Group.NOT_CERTIFIABLE in groups and campaign.is_profiles_collection:
        lines += [
            "Si votre profil n'est pas encore certifiable, évaluez-vous d'abord depuis "
            "«\u00a0Mon profil Pix\u00a0» sur les compétences les plus proches du niveau 1, puis envoyez "
            "à nouveau votre profil" + (" avec le même code." if campaign.multiple_sendings else "."),
        ]
    lines += ["", "Merci,", author]
    return "\n".join(lines)


def _assessment_message(*, collection, assessment, join_url, home_url, author):
    lines = [
        "Bonjour,",
        "",
        "Votre profil Pix n'est pas encore certifiable\u00a0: il faut le niveau 1 dans au moins 5 des 16 "
        "compétences. Pour y arriver, passez l'évaluation préparée sur les compétences qui vous manquent, "
        f"«\u00a0{assessment.name}\u00a0».",
        "",
        f"1. Connectez-vous sur pixorga\u00a0: {home_url}",
        f"2. Saisissez le code {assessment.code}, ou ouvrez directement ce lien\u00a0: {join_url}",
        "3. Cliquez sur «\u00a0C'est parti\u00a0!\u00a0», répondez aux questions, puis cliquez sur "
        "«\u00a0J'envoie mes résultats\u00a0».",
    ]
    if collection.multiple_sendings:
        lines.append(
            "4. Envoyez ensuite à nouveau votre profil dans la campagne "
            f"«\u00a0{collection.name}\u00a0»\u00a0: saisissez le code {collection.code}, puis cliquez sur "
            "«\u00a0C'est parti\u00a0!\u00a0» et «\u00a0J'envoie mon profil\u00a0»."
        )
    lines += ["", "Merci,", author]
    return "\n".join(lines)


def relaunch_record(*, campaign, learners, channel, message, user, join_url, target_campaign=None):
    """Record a relaunch of `learners` and, for an e-mail, queue one e-mail per pupil who has an address
    once the transaction commits (a rolled-back request sends nothing).

    `target_campaign` is the campaign they are sent to when it is not `campaign` (`join_url` is then
    its link)."""
    learners = list(learners)
    if not learners:
        raise RelaunchError("Sélectionnez au moins un élève à relancer.")
    with transaction.atomic():
        relaunch = Relaunch.objects.create(
            campaign=campaign,
            target_campaign=target_campaign,
            channel=channel,
            message=message,
            join_url=join_url,
            created_by=user,
        )
        recipients = []
        for learner in learners:
            recipient = RelaunchRecipient(relaunch=relaunch, learner=learner)
            if channel == Relaunch.Channel.EMAIL:
                address = learner.user.email if learner.user_id else ""
                recipient.email = address
                recipient.email_status = (
                    RelaunchRecipient.EmailStatus.PENDING
                    if address
                    else RelaunchRecipient.EmailStatus.NO_ADDRESS
                )
            recipients.append(recipient)
        RelaunchRecipient.objects.bulk_create(recipients)
        if channel == Relaunch.Channel.EMAIL and any(r.email for r in recipients):
            transaction.on_commit(lambda: relaunch_send_emails.delay(relaunch.pk))
    return relaunch


def relaunch_retry_failed(*, relaunch):
    """Put the failed e-mails of a relaunch back in the queue; returns how many."""
    with transaction.atomic():
        count = relaunch.recipients.filter(email_status=RelaunchRecipient.EmailStatus.FAILED).update(
            email_status=RelaunchRecipient.EmailStatus.PENDING, email_error=""
        )
        if count:
            transaction.on_commit(lambda: relaunch_send_emails.delay(relaunch.pk))
    return count
