from django.conf import settings
from django.db import models
from django.urls import reverse
from django_scopes import ScopedManager


class Campaign(models.Model):
    class Type(models.TextChoices):
        PROFILES_COLLECTION = "PROFILES_COLLECTION", "Collecter les profils Pix des participants"
        ASSESSMENT = "ASSESSMENT", "Évaluer les participants"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="campaigns"
    )
    type = models.CharField("objectif", max_length=20, choices=Type.choices, default=Type.PROFILES_COLLECTION)
    name = models.CharField("nom de la campagne", max_length=255)
    code = models.CharField("code", max_length=9, unique=True)
    title = models.CharField("titre du parcours", max_length=255, blank=True)
    custom_landing_page_text = models.TextField("texte de la page d'accueil", blank=True, max_length=5000)
    external_id_label = models.CharField(
        "libellé de l'identifiant externe",
        max_length=255,
        blank=True,
        help_text="Par exemple « numéro d'élève » : il sera demandé à chaque participant.",
    )
    multiple_sendings = models.BooleanField(
        "envois multiples",
        default=False,
        help_text="Le participant peut envoyer son profil à nouveau ; le plus récent s'affiche.",
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

    # Console queries run inside their organization's scope: forgetting a filter cannot leak a campaign.
    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = "campagne"
        verbose_name_plural = "campagnes"
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["organization", "archived_at", "-created_at"], name="campaign_list_idx"),
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


class Participation(models.Model):
    """One sending of a pupil to a campaign (or his joining, before he sends).

    With multiple sendings, each new sending is a new participation; the previous one is marked
    `is_improved` and stays as history. At most one participation per user and campaign is live.
    """

    class Status(models.TextChoices):
        STARTED = "STARTED", "Commencée"
        TO_SHARE = "TO_SHARE", "En attente d'envoi"
        SHARED = "SHARED", "Envoyée"

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
    is_improved = models.BooleanField("remplacée par un envoi plus récent", default=False)
    snapshot = models.OneToOneField(
        "profiles.ProfileSnapshot",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participation",
        verbose_name="profil envoyé",
    )

    objects = ScopedManager(organization="campaign__organization")

    class Meta:
        verbose_name = "participation"
        verbose_name_plural = "participations"
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "user"],
                condition=models.Q(is_improved=False),
                name="one_live_participation_per_user_and_campaign",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status="SHARED", shared_at__isnull=False, snapshot__isnull=False)
                    | (~models.Q(status="SHARED") & models.Q(shared_at__isnull=True, snapshot__isnull=True))
                ),
                name="shared_participation_has_date_and_snapshot",
            ),
            models.CheckConstraint(
                condition=~models.Q(is_improved=True, status__in=["STARTED", "TO_SHARE"]),
                name="only_sent_participation_is_improved",
            ),
        ]
        indexes = [
            # The results table: the live participations of a campaign, latest sending first.
            models.Index(fields=["campaign", "is_improved", "-shared_at"], name="participation_results_idx"),
        ]

    def __str__(self):
        return f"{self.learner} — {self.campaign}"

    @property
    def is_shared(self):
        return self.status == self.Status.SHARED
