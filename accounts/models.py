from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A teacher, a pupil or an admin. Pupils of a school often have a username and no e-mail."""

    email = models.EmailField("adresse e-mail", blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"
        constraints = [
            # An e-mail logs its owner in, so two accounts cannot share one.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="unique_user_email_ci"
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.username


class Organization(models.Model):
    class Type(models.TextChoices):
        SCO = "SCO", "Établissement scolaire"
        SUP = "SUP", "Enseignement supérieur"
        PRO = "PRO", "Organisation professionnelle"

    name = models.CharField("nom", max_length=255)
    type = models.CharField("type", max_length=3, choices=Type.choices, default=Type.SCO)
    external_id = models.CharField(
        "identifiant externe", max_length=50, blank=True, help_text="UAI pour un établissement scolaire."
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    members = models.ManyToManyField(User, through="Membership", related_name="organizations")

    class Meta:
        verbose_name = "organisation"
        verbose_name_plural = "organisations"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_school(self):
        return self.type == self.Type.SCO


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "ADMIN", "Administrateur"
        MEMBER = "MEMBER", "Membre"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rôle", max_length=6, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField("depuis le", auto_now_add=True)

    class Meta:
        verbose_name = "membre"
        verbose_name_plural = "membres"
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) — {self.organization}"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN
