from django.conf import settings
from django.db import models
from django_scopes import ScopedManager

from .names import normalize_name


class OrganizationLearner(models.Model):
    """A participant as the organization knows him: a pupil of the school's roster, or, outside schools,
    the person who joined one of its campaigns. Linked to a user account once reconciled."""

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
    division = models.CharField("classe", max_length=60, blank=True, db_index=True)
    national_student_id = models.CharField("INE", max_length=20, blank=True)
    # Accent- and case-free copies of the names: reconciliation matches on them with an index.
    normalized_first_name = models.CharField(max_length=150, editable=False)
    normalized_last_name = models.CharField(max_length=150, editable=False)
    is_disabled = models.BooleanField("désactivé", default=False)
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
