from django.conf import settings
from django.db import models
from django.urls import reverse
from django_scopes import ScopedManager

from profiles.certifiability import missing_competences_for_certifiability

from .codes import CODE_REGEX


class Campaign(models.Model):
    class Type(models.TextChoices):
        PROFILES_COLLECTION = "PROFILES_COLLECTION", "Collecter les profils Pix des participants"
        ASSESSMENT = "ASSESSMENT", "Évaluer les participants"

    class ExternalIdType(models.TextChoices):
        EMAIL = "EMAIL", "Adresse e-mail"
        STRING = "STRING", "Texte libre"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="campaigns"
    )
    type = models.CharField("objectif", max_length=20, choices=Type.choices, default=Type.PROFILES_COLLECTION)
    name = models.CharField("nom de la campagne", max_length=255)
    code = models.CharField("code", max_length=9, unique=True)
    custom_landing_page_text = models.TextField(
        "texte de la page d'accueil",
        blank=True,
        max_length=5000,
        help_text="Mise en forme Markdown : **gras**, *italique*, listes, liens.",
    )
    external_id_label = models.CharField(
        "libellé de l'identifiant externe",
        max_length=255,
        blank=True,
        help_text="Par exemple « numéro d'élève » : il sera demandé à chaque participant.",
    )
    external_id_type = models.CharField(
        "type de l'identifiant externe", max_length=6, choices=ExternalIdType.choices, blank=True
    )
    # The target profile of an assessment: the topics its challenges are drawn from. Choosing a competence
    # chooses all its topics; fixed at creation, as the objective is.
    target_topics = models.ManyToManyField(
        "evaluation.Topic", blank=True, related_name="+", verbose_name="profil cible (sujets)"
    )
    multiple_sendings = models.BooleanField(
        "envois multiples",
        default=False,
        help_text="Le participant peut envoyer son profil à nouveau ; le plus récent s'affiche.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_campaigns",
        verbose_name="propriétaire",
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="created_campaigns",
        verbose_name="créée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="archivée par",
    )
    # Counters kept by campaigns.services inside the transactions that change them, so that the campaign
    # list and the Activité tab read them instead of counting 50,000 participations on every page.
    participants_count = models.PositiveIntegerField("participants", default=0, editable=False)
    received_count = models.PositiveIntegerField("profils reçus", default=0, editable=False)
    certifiable_count = models.PositiveIntegerField("profils certifiables", default=0, editable=False)

    # Console queries run inside their organization's scope: forgetting a filter cannot leak a campaign.
    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=CODE_REGEX), name="campaign_code_format"),
            models.CheckConstraint(
                condition=models.Q(external_id_label="", external_id_type="")
                | (~models.Q(external_id_label="") & ~models.Q(external_id_type="")),
                name="campaign_external_id_label_and_type_together",
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "archived_at", "-created_at"], name="campaign_list_idx"),
            models.Index(
                fields=["organization", "owner", "archived_at", "-created_at"], name="campaign_list_mine_idx"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("campaigns:detail", args=[self.pk])

    def get_join_url(self):
        return reverse("pupil:landing", args=[self.code])

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_profiles_collection(self):
        return self.type == self.Type.PROFILES_COLLECTION

    @property
    def is_assessment(self):
        return self.type == self.Type.ASSESSMENT

    @property
    def pending_count(self):
        return self.participants_count - self.received_count

    @property
    def not_certifiable_count(self):
        return self.received_count - self.certifiable_count


class CampaignActivityDay(models.Model):
    """How many pupils joined the campaign and how many sent their first profile, per day (Europe/Paris).

    Kept by campaigns.services next to the campaign's counters: the Activité chart reads a few dozen rows
    whatever the number of participants.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="activity_days")
    day = models.DateField("jour")
    joined = models.IntegerField("participants arrivés", default=0)
    received = models.IntegerField("premiers profils reçus", default=0)

    class Meta:
        verbose_name = "activité d'un jour"
        verbose_name_plural = "activité par jour"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "day"], name="one_activity_row_per_campaign_day"),
        ]

    def __str__(self):
        return f"{self.campaign} — {self.day:%d/%m/%Y}"


class ConsentText(models.Model):
    """A text a pupil agreed to when he sent his profile, kept once however many pupils saw it."""

    text = models.TextField("texte", unique=True)
    created_at = models.DateTimeField("première utilisation", auto_now_add=True)

    class Meta:
        verbose_name = "texte de consentement"
        verbose_name_plural = "textes de consentement"

    def __str__(self):
        return self.text[:80]


class ExportLog(models.Model):
    """Who exported which campaign, when, and how many rows: the organization's admins can check it."""

    class Scope(models.TextChoices):
        ALL = "ALL", "Tous les envois"
        FILTERED = "FILTERED", "Résultats filtrés"

    organization = models.ForeignKey("accounts.Organization", on_delete=models.CASCADE, related_name="+")
    # The campaign may be deleted later; its name stays in the log.
    campaign = models.ForeignKey(Campaign, on_delete=models.SET_NULL, null=True, related_name="exports")
    campaign_name = models.CharField("campagne", max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    scope = models.CharField("périmètre", max_length=8, choices=Scope.choices)
    started_at = models.DateTimeField("exporté le", auto_now_add=True)
    rows = models.PositiveIntegerField("lignes", default=0)
    completed = models.BooleanField("fichier complet", default=False)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = "export"
        verbose_name_plural = "journal des exports"
        indexes = [models.Index(fields=["organization", "-started_at"], name="export_log_idx")]

    def __str__(self):
        return f"{self.campaign_name} — {self.started_at:%d/%m/%Y %H:%M}"


class ParticipationQuerySet(models.QuerySet):
    def not_deleted(self):
        return self.filter(deleted_at__isnull=True)

    def live(self):
        """One row per pupil who joined: his current participation (pending or sent)."""
        return self.filter(is_improved=False, deleted_at__isnull=True)

    def sendings(self):
        """Every sending, history included."""
        return self.filter(status=Participation.Status.SHARED, deleted_at__isnull=True)

    def latest_sendings(self):
        """One row per pupil who sent: his latest sending."""
        return self.filter(is_latest_sending=True, deleted_at__isnull=True)


class Participation(models.Model):
    """A pupil's participation in a campaign: his joining, then his sending.

    With multiple sendings, entering the code again starts a new participation at once; the previous one
    is marked `is_improved` and stays as history. At most one participation per learner and campaign is
    live, and one sending per learner and campaign is his latest (`is_latest_sending`).
    """

    class Status(models.TextChoices):
        # Only an assessment is « en cours »: its pupil answers questions before he can send.
        STARTED = "STARTED", "En cours"
        TO_SHARE = "TO_SHARE", "En attente d'envoi"
        SHARED = "SHARED", "Profil reçu"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="participations"
    )
    learner = models.ForeignKey(
        "students.OrganizationLearner",
        on_delete=models.PROTECT,
        related_name="participations",
        verbose_name="participant",
    )
    status = models.CharField("statut", max_length=8, choices=Status.choices, default=Status.TO_SHARE)
    participant_external_id = models.CharField("identifiant externe", max_length=255, blank=True)
    created_at = models.DateTimeField("commencée le", auto_now_add=True)
    shared_at = models.DateTimeField("date d'envoi", null=True, blank=True)
    is_improved = models.BooleanField("remplacée par une participation plus récente", default=False)
    is_latest_sending = models.BooleanField("dernier envoi du participant", default=False)
    snapshot = models.OneToOneField(
        "profiles.ProfileSnapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participation",
        verbose_name="profil envoyé",
    )
    # Copied from the snapshot at sending, as Pix keeps them on the participation: the results table
    # filters, sorts and counts on them without reading the snapshot's JSON.
    pix_score = models.PositiveIntegerField("score Pix", null=True, blank=True)
    is_certifiable = models.BooleanField("certifiable", null=True, blank=True)
    certifiable_competences_count = models.PositiveSmallIntegerField(
        "compétences certifiables", null=True, blank=True
    )
    # Frozen at sending: the rank of this sending among the pupil's sendings to the campaign, and the score
    # of the one before, for « Nombre d'envois » and « Évolution ».
    sending_number = models.PositiveSmallIntegerField("numéro de l'envoi", null=True, blank=True)
    previous_pix_score = models.PositiveIntegerField("score Pix de l'envoi précédent", null=True, blank=True)
    # An assessment's result, frozen at sending as the snapshot is for a collection: per target competence
    # (by code) its name, the skills validated, tested (validated or not) and offered, the mastery rate and
    # the same per topic; and the same for the whole target profile. The overall rate is also a column, so
    # that the results table sorts on it in the database.
    assessment_result = models.JSONField("résultats de l'évaluation", null=True, blank=True)
    mastery_rate = models.PositiveSmallIntegerField("maîtrise du profil cible (%)", null=True, blank=True)
    # What the pupil agreed to by sending (RGPD): the text he read on the sending page.
    consent = models.ForeignKey(
        ConsentText,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="consentement",
    )
    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="supprimée par",
    )

    objects = ScopedManager(
        _manager_class=models.Manager.from_queryset(ParticipationQuerySet),
        organization="campaign__organization",
    )

    class Meta:
        verbose_name = "participation"
        verbose_name_plural = "participations"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "learner"],
                condition=models.Q(is_improved=False),
                name="one_live_participation_per_learner_and_campaign",
            ),
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=models.Q(is_improved=False),
                name="one_live_participation_per_user_and_campaign",
            ),
            models.UniqueConstraint(
                fields=["campaign", "learner"],
                condition=models.Q(is_latest_sending=True),
                name="one_latest_sending_per_learner_and_campaign",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="SHARED", shared_at__isnull=False, sending_number__isnull=False)
                    & (
                        # A collection's sending: the profile.
                        models.Q(
                            snapshot__isnull=False,
                            pix_score__isnull=False,
                            is_certifiable__isnull=False,
                            certifiable_competences_count__isnull=False,
                            assessment_result__isnull=True,
                            mastery_rate__isnull=True,
                        )
                        # An assessment's sending: its result.
                        | models.Q(
                            snapshot__isnull=True,
                            pix_score__isnull=True,
                            is_certifiable__isnull=True,
                            certifiable_competences_count__isnull=True,
                            assessment_result__isnull=False,
                            mastery_rate__isnull=False,
                        )
                    )
                )
                | models.Q(
                    status__in=["STARTED", "TO_SHARE"],
                    shared_at__isnull=True,
                    snapshot__isnull=True,
                    pix_score__isnull=True,
                    is_certifiable__isnull=True,
                    certifiable_competences_count__isnull=True,
                    assessment_result__isnull=True,
                    mastery_rate__isnull=True,
                    sending_number__isnull=True,
                    is_latest_sending=False,
                ),
                name="shared_participation_has_its_sending",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_improved=True, status="TO_SHARE"),
                name="only_sent_participation_is_improved",
            ),
        ]
        indexes = [
            # Résultats: the latest sendings of a campaign, latest first (the guide's order).
            models.Index(
                fields=["campaign", "-shared_at", "-id"],
                condition=models.Q(is_latest_sending=True, deleted_at__isnull=True),
                name="participation_results_idx",
            ),
            # Résultats sorted by score or by competences (« Manque » too), deep pages included.
            models.Index(
                fields=["campaign", "-pix_score", "-id"],
                condition=models.Q(is_latest_sending=True, deleted_at__isnull=True),
                name="participation_score_idx",
            ),
            models.Index(
                fields=["campaign", "-certifiable_competences_count", "-id"],
                condition=models.Q(is_latest_sending=True, deleted_at__isnull=True),
                name="participation_competences_idx",
            ),
            # Résultats of an assessment, sorted on the mastery of the target profile.
            models.Index(
                fields=["campaign", "mastery_rate"],
                condition=models.Q(is_latest_sending=True, deleted_at__isnull=True),
                name="participation_mastery_idx",
            ),
            # Activité's list and the export: the participations of a campaign.
            models.Index(fields=["campaign", "learner", "-created_at"], name="participation_learner_idx"),
        ]

    def __str__(self):
        return f"{self.learner} — {self.campaign}"

    @property
    def is_shared(self):
        return self.status == self.Status.SHARED

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def is_started(self):
        return self.status == self.Status.STARTED

    @property
    def missing_competences(self):
        """How many competences at level 1 the pupil still lacked at this sending (0 when certifiable)."""
        if self.certifiable_competences_count is None:
            return None
        return missing_competences_for_certifiability(self.certifiable_competences_count)


class ParticipationEvaluation(models.Model):
    """An assessment's evaluation of one target competence, for one participation.

    The evaluation app keeps the pupil's answers and knowledge (so that they raise his live profile);
    this row says which participation asked for it. One per participation and competence, so that two
    tabs opening the next competence at once start it once.
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="evaluation_links", verbose_name="participation"
    )
    competence = models.ForeignKey(
        "profiles.Competence", on_delete=models.PROTECT, related_name="+", verbose_name="compétence"
    )
    evaluation = models.OneToOneField(
        "evaluation.Evaluation", on_delete=models.CASCADE, related_name="+", verbose_name="évaluation"
    )

    objects = ScopedManager(organization="participation__campaign__organization")

    class Meta:
        verbose_name = "évaluation d'une participation"
        verbose_name_plural = "évaluations des participations"
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "competence"], name="one_evaluation_per_participation_and_competence"
            ),
        ]

    def __str__(self):
        return f"{self.participation} — {self.competence.code}"


class Relaunch(models.Model):
    """Step 6 of the guide: a teacher chases pupils of a campaign — by a message to paste into Pronote or
    the ENT, by printed slips, or by e-mail. Kept so that nobody chases the same pupil twice a day."""

    class Channel(models.TextChoices):
        MESSAGE = "MESSAGE", "Message à copier"
        SLIPS = "SLIPS", "Fiches imprimées"
        EMAIL = "EMAIL", "E-mail"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="relaunches")
    channel = models.CharField("moyen", max_length=7, choices=Channel.choices)
    message = models.TextField("message", blank=True)
    # The campaign the pupils are sent to, when it is not the one relaunched: the assessment created on
    # the competences that non-certifiable pupils of a collection lack.
    target_campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="campagne proposée",
    )
    # The direct link of the campaign the pupils are sent to, as the teacher's browser saw it: e-mails are
    # written by a worker.
    join_url = models.URLField("lien direct", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="par"
    )
    created_at = models.DateTimeField("le", auto_now_add=True)

    objects = ScopedManager(organization="campaign__organization")

    class Meta:
        verbose_name = "relance"
        verbose_name_plural = "relances"
        indexes = [models.Index(fields=["campaign", "-created_at"], name="relaunch_campaign_idx")]

    def __str__(self):
        return f"{self.get_channel_display()} — {self.campaign} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def proposed_campaign(self):
        """The campaign the pupils are told to join."""
        return self.target_campaign or self.campaign


class RelaunchRecipient(models.Model):
    """One pupil of a relaunch, and for an e-mail, what became of it."""

    class EmailStatus(models.TextChoices):
        PENDING = "PENDING", "En cours d'envoi"
        SENT = "SENT", "Envoyé"
        FAILED = "FAILED", "Échec d'envoi"
        NO_ADDRESS = "NO_ADDRESS", "Pas d'adresse e-mail"

    relaunch = models.ForeignKey(Relaunch, on_delete=models.CASCADE, related_name="recipients")
    learner = models.ForeignKey(
        "students.OrganizationLearner",
        on_delete=models.CASCADE,
        related_name="relaunches",
        verbose_name="élève",
    )
    email = models.EmailField("adresse", blank=True)
    email_status = models.CharField("e-mail", max_length=10, choices=EmailStatus.choices, blank=True)
    email_error = models.CharField("erreur", max_length=255, blank=True)
    email_sent_at = models.DateTimeField("envoyé le", null=True, blank=True)

    objects = ScopedManager(organization="relaunch__campaign__organization")

    class Meta:
        verbose_name = "élève relancé"
        verbose_name_plural = "élèves relancés"
        constraints = [
            models.UniqueConstraint(
                fields=["relaunch", "learner"], name="one_recipient_per_relaunch_and_learner"
            )
        ]
        indexes = [models.Index(fields=["learner", "relaunch"], name="relaunch_learner_idx")]

    def __str__(self):
        return f"{self.learner} — {self.relaunch}"
