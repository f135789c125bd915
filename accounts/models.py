from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django_scopes import ScopedManager


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

    @property
    def label(self):
        """« Lycée Jean Moulin (0061234A) »: two schools of a city often share a name, never a UAI."""
        return f"{self.name} ({self.external_id})" if self.external_id else self.name


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


class Invitation(models.Model):
    """An e-mail address invited to join an organization's team, until it accepts or an admin cancels.

    The link of the e-mail is signed (see accounts/invitations.py); `key` is the part of it that a resend
    replaces, so that only the latest link works.
    """

    class Status(models.TextChoices):
        PENDING = "PENDING", "En attente"
        FAILED = "FAILED", "Échec d'envoi"
        ACCEPTED = "ACCEPTED", "Acceptée"
        CANCELLED = "CANCELLED", "Annulée"

    OPEN_STATUSES = (Status.PENDING, Status.FAILED)

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse e-mail")
    role = models.CharField(
        "rôle", max_length=6, choices=Membership.Role.choices, default=Membership.Role.MEMBER
    )
    status = models.CharField("statut", max_length=9, choices=Status.choices, default=Status.PENDING)
    key = models.CharField(max_length=32, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="invitée par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    send_count = models.PositiveIntegerField("nombre d'envois", default=0)
    last_error = models.TextField("dernière erreur d'envoi", blank=True)
    accepted_at = models.DateTimeField("acceptée le", null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="acceptée par",
    )
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    objects = ScopedManager(organization="organization")

    class Meta:
        verbose_name = "invitation"
        verbose_name_plural = "invitations"
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Inviting an address again refreshes its open invitation: one open invitation per address.
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(status__in=["PENDING", "FAILED"]),
                name="unique_open_invitation",
            ),
        ]
        indexes = [models.Index(fields=["organization", "status"], name="invitation_team_idx")]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def is_admin(self):
        return self.role == Membership.Role.ADMIN


class ApiToken(models.Model):
    """A personal API token: a teacher's script or tool acts as him, read-only if he chose so.

    Only the SHA-256 of the token is kept (it is a random 256-bit value: a fast hash is enough and lets the
    API find it by an indexed lookup); the few first characters stay visible so that he can tell his tokens
    apart. The token itself is shown once, when it is created.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("nom", max_length=100)
    prefix = models.CharField("début du jeton", max_length=16, editable=False)
    key_hash = models.CharField("empreinte SHA-256", max_length=64, unique=True, editable=False)
    read_only = models.BooleanField("lecture seule", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    # Written at most once a minute (accounts.tokens.api_token_touch), not on every request.
    last_used_at = models.DateTimeField("dernière utilisation", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
