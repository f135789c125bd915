from django.conf import settings
from django.db import models
from django.urls import reverse
from django_scopes import ScopedManager

from profiles.certifiability import missing_competences_for_certifiability

from .names import normalize_name


class OrganizationLearner(models.Model):
    """A participant as the organization knows him: a pupil of the school's roster, or, outside schools,
    the person who joined one of its campaigns. Linked to a user account once reconciled."""

    class Sex(models.TextChoices):
        MALE = "M", "Masculin"
        FEMALE = "F", "Féminin"

    class Certificability(models.TextChoices):
        # The values sort in the order the list shows them: certifiable, not certifiable, not known.
        CERTIFIABLE = "certifiable", "Certifiable"
        NOT_CERTIFIABLE = "non-certifiable", "Non certifiable"
        NOT_COMMUNICATED = "non-communique", "Non communiqué"

    class CertificabilitySource(models.TextChoices):
        SENDING = "envoi", "Envoi de son profil"
        LIVE_PROFILE = "calcul", "Calcul sur son profil Pix"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="learners"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learners",
    )
    first_name = models.CharField("prénom", max_length=150)
    last_name = models.CharField("nom", max_length=150)
    birthdate = models.DateField("date de naissance", null=True, blank=True)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    division = models.CharField("classe", max_length=60, blank=True, db_index=True)
    national_student_id = models.CharField("INE", max_length=20, blank=True)
    # Accent- and case-free copies of the names: reconciliation matches on them with an index.
    normalized_first_name = models.CharField(max_length=150, editable=False)
    normalized_last_name = models.CharField(max_length=150, editable=False)
    is_disabled = models.BooleanField("désactivé", default=False)
    # The newer of the last sending and the last computation on the live profile, copied here so that
    # the Élèves list filters, sorts and counts on it in the database (students.certificability).
    certificability = models.CharField(
        "certificabilité",
        max_length=15,
        choices=Certificability.choices,
        default=Certificability.NOT_COMMUNICATED,
    )
    certifiable_competences_count = models.PositiveSmallIntegerField(
        "compétences certifiables", null=True, blank=True
    )
    certificability_at = models.DateTimeField("certificabilité du", null=True, blank=True)
    certificability_source = models.CharField(
        "source de la certificabilité", max_length=6, choices=CertificabilitySource.choices, blank=True
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = "élève / participant"
        verbose_name_plural = "élèves / participants"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=models.Q(user__isnull=False),
                name="unique_learner_per_user_and_organization",
            ),
            models.UniqueConstraint(
                fields=["organization", "national_student_id"],
                condition=~models.Q(national_student_id=""),
                name="unique_learner_ine_per_organization",
            ),
        ]
        indexes = [
            models.Index(
                fields=["organization", "normalized_last_name", "normalized_first_name", "birthdate"],
                name="learner_reconciliation_idx",
            ),
            # The Élèves list: the enabled learners of an organization, by class or by certificabilité.
            models.Index(
                fields=["organization", "is_disabled", "division", "normalized_last_name"],
                name="learner_list_division_idx",
            ),
            models.Index(
                fields=["organization", "is_disabled", "certificability"],
                name="learner_list_certif_idx",
            ),
        ]

    def __str__(self):
        return f"{self.last_name} {self.first_name}"

    def save(self, *args, **kwargs):
        self.normalized_first_name = normalize_name(self.first_name)
        self.normalized_last_name = normalize_name(self.last_name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "normalized_first_name",
                "normalized_last_name",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("students:detail", args=[self.pk])

    @property
    def missing_competences_for_certifiability(self):
        if self.certifiable_competences_count is None:
            return None
        return missing_competences_for_certifiability(self.certifiable_competences_count)


class RosterImport(models.Model):
    """One upload of the school's roster and what became of it. The background job writes its progress
    here, and the import page polls it."""

    class Status(models.TextChoices):
        PENDING = "PENDING", "En attente de traitement"
        VALIDATING = "VALIDATING", "Validation en cours"
        IMPORTING = "IMPORTING", "Import en cours"
        DONE = "DONE", "Importé"
        FAILED = "FAILED", "Refusé"

    class Format(models.TextChoices):
        SIECLE = "SIECLE", "SIECLE"
        FREGATA = "FREGATA", "FREGATA"
        CSV = "CSV", "CSV"

    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="roster_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="importé par",
    )
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    # The uploaded file waits here for the worker, which deletes it once the import is over.
    file = models.FileField("fichier", upload_to="imports-eleves/%Y/%m/", blank=True)
    file_name = models.CharField("nom du fichier", max_length=255)
    format = models.CharField("format", max_length=7, choices=Format.choices, blank=True)
    errors = models.JSONField("erreurs", default=list, blank=True)
    created_count = models.PositiveIntegerField("élèves ajoutés", default=0)
    updated_count = models.PositiveIntegerField("élèves mis à jour", default=0)
    disabled_count = models.PositiveIntegerField("élèves désactivés", default=0)
    skipped_count = models.PositiveIntegerField("élèves ignorés", default=0)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = "import de la base élèves"
        verbose_name_plural = "imports de la base élèves"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A second import while one runs would race the first: the database refuses it.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=["PENDING", "VALIDATING", "IMPORTING"]),
                name="one_running_roster_import_per_organization",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("students:import_detail", args=[self.pk])

    @property
    def is_running(self):
        return self.status in self.RUNNING


class GeneratedAccount(models.Model):
    """A pupil account whose login the school handed out. Only the flag lives here: the temporary
    password is hashed on the user like any other and shown once, in the download that made it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="generated_account"
    )
    must_change_password = models.BooleanField("doit choisir son mot de passe", default=True)
    password_generated_at = models.DateTimeField("mot de passe temporaire créé le")
    password_generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="créé par",
    )

    class Meta:
        verbose_name = "compte élève généré"
        verbose_name_plural = "comptes élèves générés"

    def __str__(self):
        return str(self.user)


class LearnerClaim(models.Model):
    """An account took a roster entry by reconciliation. The school's teachers see these claims, so that a
    pupil whose entry was taken by someone else is noticed."""

    learner = models.ForeignKey(OrganizationLearner, on_delete=models.CASCADE, related_name="claims")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="learner_claims"
    )
    claimed_at = models.DateTimeField("rattaché le", auto_now_add=True, db_index=True)

    objects = ScopedManager(organization="learner__organization")

    class Meta:
        verbose_name = "rattachement d'un compte"
        verbose_name_plural = "rattachements de comptes"
        ordering = ["-claimed_at"]

    def __str__(self):
        return f"{self.learner} ← {self.user} ({self.claimed_at:%d/%m/%Y %H:%M})"
