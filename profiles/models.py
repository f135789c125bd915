from django.conf import settings
from django.db import models

from .certifiability import missing_competences_for_certifiability


class Area(models.Model):
    """One of the 5 areas of the Pix framework; rows installed by a data migration."""

    code = models.CharField("code", max_length=2, unique=True)
    title = models.CharField("titre", max_length=100)

    class Meta:
        verbose_name = "domaine"
        verbose_name_plural = "domaines"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Competence(models.Model):
    """One of the 16 competences of the Pix framework; rows installed by a data migration."""

    code = models.CharField("code", max_length=4, unique=True)
    name = models.CharField("nom", max_length=100)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="competences")

    class Meta:
        verbose_name = "compétence"
        verbose_name_plural = "compétences"
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.name}"


class CompetencePix(models.Model):
    """The live Pix profile, one row per competence where the user has earned pix.

    Only pix is stored: level and score are derived by profiles.scoring with the current constants.
    `pix` is denormalised on purpose: it is the larger of the pix earned before pixorga (imported from Pix,
    demo data, the admin: written here directly) and the pix of the skills validated in pixorga's
    evaluations (refreshed after each answer, see services.competence_pix_refresh), so that every reader —
    Mon profil, sendings, exports — reads one column.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="competence_pix"
    )
    competence = models.ForeignKey(Competence, on_delete=models.PROTECT, related_name="+")
    pix = models.PositiveIntegerField("pix", default=0)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "pix d'une compétence"
        verbose_name_plural = "profils Pix (pix par compétence)"
        constraints = [
            models.UniqueConstraint(fields=["user", "competence"], name="unique_competence_pix_per_user"),
        ]

    def __str__(self):
        return f"{self.user} — {self.competence.code} : {self.pix} pix"


class ImmutableSnapshotError(Exception):
    def __init__(self):
        super().__init__("Un profil envoyé ne peut pas être modifié.")


class SnapshotQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ImmutableSnapshotError()


class ProfileSnapshot(models.Model):
    """A Pix profile frozen at the moment a pupil sent it; never changed afterwards.

    `competences` keeps, per competence code, {"pix": …, "level": …} as computed at sending time, so that
    a later change of MAX_REACHABLE_LEVEL does not rewrite history.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="snapshots")
    taken_at = models.DateTimeField("envoyé le")
    max_reachable_level = models.PositiveSmallIntegerField("niveau maximum atteignable")
    competences = models.JSONField("niveaux et pix par compétence")
    # Derivable from `competences`, but stored as columns so that a results table of 50,000 rows
    # filters, sorts and counts on them in the database.
    pix_score = models.PositiveIntegerField("score Pix", db_index=True)
    certifiable_competences_count = models.PositiveSmallIntegerField(
        "compétences certifiables", db_index=True
    )
    is_certifiable = models.BooleanField("certifiable", db_index=True)

    objects = SnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "profil envoyé"
        verbose_name_plural = "profils envoyés"
        ordering = ["-taken_at"]

    def __str__(self):
        return f"Profil de {self.user} du {self.taken_at:%d/%m/%Y %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise ImmutableSnapshotError()
        super().save(*args, **kwargs)

    @property
    def missing_competences_for_certifiability(self):
        return missing_competences_for_certifiability(self.certifiable_competences_count)


class EvaluationGain(models.Model):
    """What one evaluation added to the pupil's live pix on its competence, for its result page."""

    evaluation = models.OneToOneField(
        "evaluation.Evaluation", on_delete=models.CASCADE, related_name="gain", verbose_name="évaluation"
    )
    pix_before = models.PositiveIntegerField("pix avant")
    pix_after = models.PositiveIntegerField("pix après")

    class Meta:
        verbose_name = "gain d'une évaluation"
        verbose_name_plural = "gains des évaluations"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pix_after__gte=models.F("pix_before")), name="evaluation_never_lowers_pix"
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} : {self.pix_before} → {self.pix_after} pix"
