from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from pixorga.inputs import parse_id

from . import bank


class Topic(models.Model):
    """A « sujet » of a competence (Pix's tube): its skills go from difficulty 1 to at most 8."""

    competence = models.ForeignKey(
        "profiles.Competence", on_delete=models.PROTECT, related_name="topics", verbose_name="compétence"
    )
    slug = models.SlugField("identifiant", max_length=50)
    name = models.CharField("nom", max_length=200)
    position = models.PositiveSmallIntegerField("rang dans la compétence", default=0)

    class Meta:
        verbose_name = "sujet"
        verbose_name_plural = "sujets"
        ordering = ["competence__code", "position", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["competence", "slug"], name="unique_topic_slug_per_competence"),
        ]

    def __str__(self):
        return f"{self.competence.code} {self.name}"


class Skill(models.Model):
    """An « acquis »: a topic at one difficulty. Its pix depend on the other skills of its competence
    (engine.Bank.skill_pix), so they are computed, not stored."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="skills", verbose_name="sujet")
    difficulty = models.PositiveSmallIntegerField(
        "difficulté", validators=[MinValueValidator(1), MaxValueValidator(bank.MAX_DIFFICULTY)]
    )

    class Meta:
        verbose_name = "acquis"
        verbose_name_plural = "acquis"
        ordering = ["topic__competence__code", "topic__position", "topic__slug", "difficulty"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "difficulty"], name="unique_skill_per_topic_difficulty"),
            models.CheckConstraint(
                condition=models.Q(difficulty__gte=1, difficulty__lte=bank.MAX_DIFFICULTY),
                name="skill_difficulty_1_to_8",
            ),
        ]

    def __str__(self):
        return f"@{self.topic.slug}{self.difficulty}"


class Challenge(models.Model):
    """An « épreuve » of the question bank. The files of evaluation/content are its source (load_bank)."""

    class Kind(models.TextChoices):
        SINGLE = bank.SINGLE, "Choix unique"
        MULTIPLE = bank.MULTIPLE, "Choix multiple"
        SHORT = bank.SHORT, "Réponse courte"

    ref = models.CharField("référence", max_length=100, unique=True)
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="challenges", verbose_name="acquis"
    )
    kind = models.CharField("type", max_length=8, choices=Kind.choices)
    statement = models.TextField("énoncé", help_text="Markdown simple : gras, italique, `code`, listes.")
    proposals = models.JSONField("propositions", default=list, blank=True)
    solution = models.JSONField(
        "bonnes propositions",
        default=list,
        blank=True,
        help_text="Leurs numéros, à partir de 1 : [2] ou [1, 3].",
    )
    accepted = models.JSONField(
        "réponses acceptées",
        default=list,
        blank=True,
        help_text="Réponse courte : toutes les graphies admises (casse, accents et espaces ne comptent pas).",
    )
    explanation = models.TextField("explication")
    learn_more = models.TextField("pour en savoir plus")
    is_active = models.BooleanField(
        "proposée aux élèves",
        default=True,
        help_text="Décocher retire l'épreuve des évaluations sans effacer les réponses déjà données.",
    )

    class Meta:
        verbose_name = "épreuve"
        verbose_name_plural = "épreuves"
        ordering = ["ref"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[bank.SINGLE, bank.MULTIPLE, bank.SHORT]),
                name="challenge_kind_known",
            ),
        ]
        indexes = [models.Index(fields=["skill", "is_active"], name="challenge_active_skill_idx")]

    def __str__(self):
        return self.ref

    def clean(self):
        problems = bank.challenge_problems(
            kind=self.kind,
            statement=self.statement,
            proposals=self.proposals,
            solution=self.solution,
            accepted=self.accepted,
            explanation=self.explanation,
            learn_more=self.learn_more,
        )
        if problems:
            raise ValidationError(problems)

    @property
    def is_choice(self):
        return self.kind in (self.Kind.SINGLE, self.Kind.MULTIPLE)


class Evaluation(models.Model):
    """A pupil's evaluation of one competence: the challenges he answered, one after the other.

    A self-evaluation (from Mon profil) covers the whole competence. A campaign's evaluation covers the
    topics of its target profile in that competence (`topics`), and is resumed through its campaign.
    Both feed the same knowledge, hence the same live pix.
    """

    class Status(models.TextChoices):
        STARTED = "started", "En cours"
        COMPLETED = "completed", "Terminée"

    class Kind(models.TextChoices):
        SELF = "self", "Auto-évaluation"
        CAMPAIGN = "campaign", "Campagne d'évaluation"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluations", verbose_name="élève"
    )
    competence = models.ForeignKey(
        "profiles.Competence", on_delete=models.PROTECT, related_name="+", verbose_name="compétence"
    )
    kind = models.CharField("origine", max_length=8, choices=Kind.choices, default=Kind.SELF)
    topics = models.ManyToManyField(
        Topic,
        blank=True,
        related_name="+",
        verbose_name="sujets évalués",
        help_text="Ceux du profil cible d'une campagne\u00a0; aucun pour une auto-évaluation.",
    )
    status = models.CharField("statut", max_length=9, choices=Status.choices, default=Status.STARTED)
    created_at = models.DateTimeField("commencée le", auto_now_add=True)
    completed_at = models.DateTimeField("terminée le", null=True, blank=True)

    class Meta:
        verbose_name = "évaluation"
        verbose_name_plural = "évaluations"
        ordering = ["-created_at", "-id"]
        constraints = [
            # « Commencer » clicked twice, or in two tabs, resumes the same self-evaluation. A campaign
            # keeps its own evaluations one per participation and competence.
            models.UniqueConstraint(
                fields=["user", "competence"],
                condition=models.Q(status="started", kind="self"),
                name="one_started_self_evaluation_per_competence",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["self", "campaign"]), name="evaluation_kind_known"
            ),
            models.CheckConstraint(
                condition=models.Q(status="started", completed_at__isnull=True)
                | models.Q(status="completed", completed_at__isnull=False),
                name="evaluation_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["user", "competence", "created_at"], name="evaluation_user_idx")]

    def __str__(self):
        return f"{self.user} — {self.competence.code} ({self.get_status_display().lower()})"

    @property
    def is_completed(self):
        return self.status == self.Status.COMPLETED

    @property
    def is_self_evaluation(self):
        return self.kind == self.Kind.SELF


class Answer(models.Model):
    """One challenge answered in an evaluation; the unique constraint makes a double submit one answer."""

    class Result(models.TextChoices):
        OK = "ok", "Bonne réponse"
        KO = "ko", "Mauvaise réponse"
        SKIPPED = "skipped", "Question passée"

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="answers", verbose_name="évaluation"
    )
    challenge = models.ForeignKey(
        Challenge, on_delete=models.PROTECT, related_name="answers", verbose_name="épreuve"
    )
    # The chosen proposals' numbers separated by commas (« 1,3 »), the typed text, or "" for « Je passe ».
    value = models.CharField("réponse donnée", max_length=200, blank=True)
    result = models.CharField("résultat", max_length=7, choices=Result.choices)
    created_at = models.DateTimeField("répondue le", auto_now_add=True)

    class Meta:
        verbose_name = "réponse"
        verbose_name_plural = "réponses"
        ordering = ["evaluation_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "challenge"], name="one_answer_per_challenge"),
            models.CheckConstraint(
                condition=models.Q(result__in=["ok", "ko"]) | models.Q(result="skipped", value=""),
                name="answer_result_known",
            ),
        ]

    def __str__(self):
        return f"{self.challenge.ref} : {self.get_result_display().lower()}"

    @property
    def is_correct(self):
        return self.result == self.Result.OK

    @property
    def chosen(self):
        """The proposals' numbers a choice answer picked."""
        return [number for part in self.value.split(",") if (number := parse_id(part))]
