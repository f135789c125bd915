"""Writes of the evaluation app: loading the question bank, starting an evaluation, answering a challenge."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import bank as bank_files
from . import engine, selectors
from .checking import is_choice_right, is_short_answer_right
from .models import Answer, Challenge, Evaluation, Skill, Topic
from .signals import knowledge_changed

CHALLENGE_CONTENT_FIELDS = [
    "skill",
    "kind",
    "statement",
    "proposals",
    "solution",
    "accepted",
    "explanation",
    "learn_more",
]


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    deactivated: int
    unchanged: int
    competences: tuple  # the files read, as bank.CompetenceSpec

    @property
    def changed(self):
        return bool(self.created or self.updated or self.deactivated)

    def __str__(self):
        return (
            f"{self.created} épreuve(s) créée(s), {self.updated} mise(s) à jour, "
            f"{self.deactivated} retirée(s), {self.unchanged} inchangée(s)"
        )


def bank_load(*, directory=bank_files.CONTENT_DIR, using="default"):
    """Bring the database up to the bank's files; running it again changes nothing.

    The files own the content of the refs they hold: a change in a file overwrites the database. A
    challenge that left the files is switched off (its answers keep it). Switching a challenge off in the
    admin is kept, so that a faulty one stays out until its file is fixed and it is switched back on.
    """
    competences = {c.code: c for c in selectors.Competence.objects.using(using).all()}
    specs = bank_files.read_bank(directory, competence_codes=set(competences))
    with transaction.atomic(using=using):
        topics = _topics_load(specs, competences, using)
        skills = _skills_load(specs, competences, topics, using)
        existing = {challenge.ref: challenge for challenge in Challenge.objects.using(using).all()}
        to_create, to_update, unchanged = [], [], 0
        for competence in specs:
            competence_id = competences[competence.code].id
            for topic in competence.topics:
                topic_id = topics[competence_id, topic.slug].id
                for spec in topic.challenges:
                    content = {
                        "skill": skills[topic_id, spec.difficulty],
                        "kind": spec.kind,
                        "statement": spec.statement,
                        "proposals": list(spec.proposals),
                        "solution": list(spec.solution),
                        "accepted": list(spec.accepted),
                        "explanation": spec.explanation,
                        "learn_more": spec.learn_more,
                    }
                    challenge = existing.pop(spec.ref, None)
                    if challenge is None:
                        to_create.append(Challenge(ref=spec.ref, **content))
                    elif any(getattr(challenge, field) != value for field, value in content.items()):
                        for field, value in content.items():
                            setattr(challenge, field, value)
                        to_update.append(challenge)
                    else:
                        unchanged += 1
        gone = [challenge for challenge in existing.values() if challenge.is_active]
        for challenge in gone:
            challenge.is_active = False
        Challenge.objects.using(using).bulk_create(to_create)
        Challenge.objects.using(using).bulk_update(to_update, CHALLENGE_CONTENT_FIELDS)
        Challenge.objects.using(using).bulk_update(gone, ["is_active"])
    return LoadReport(len(to_create), len(to_update), len(gone), unchanged, tuple(specs))


def _topics_load(specs, competences, using):
    topics = {(topic.competence_id, topic.slug): topic for topic in Topic.objects.using(using).all()}
    to_create, to_update = [], []
    for competence in specs:
        competence_id = competences[competence.code].id
        for position, spec in enumerate(competence.topics):
            topic = topics.get((competence_id, spec.slug))
            if topic is None:
                topic = Topic(competence_id=competence_id, slug=spec.slug, name=spec.name, position=position)
                to_create.append(topic)
                topics[competence_id, spec.slug] = topic
            elif (topic.name, topic.position) != (spec.name, position):
                topic.name, topic.position = spec.name, position
                to_update.append(topic)
    Topic.objects.using(using).bulk_create(to_create)
    Topic.objects.using(using).bulk_update(to_update, ["name", "position"])
    return topics


def _skills_load(specs, competences, topics, using):
    skills = {(skill.topic_id, skill.difficulty): skill for skill in Skill.objects.using(using).all()}
    to_create = []
    for competence in specs:
        competence_id = competences[competence.code].id
        for spec in competence.topics:
            topic = topics[competence_id, spec.slug]
            for difficulty in sorted({challenge.difficulty for challenge in spec.challenges}):
                if (topic.id, difficulty) not in skills:
                    skill = Skill(topic=topic, difficulty=difficulty)
                    to_create.append(skill)
                    skills[topic.id, difficulty] = skill
    Skill.objects.using(using).bulk_create(to_create)
    return skills


class EvaluationError(Exception):
    """A rule refused the pupil's action; the message is shown to him as it is."""


class NoChallengeError(EvaluationError):
    def __init__(self):
        super().__init__("Les questions de cette compétence sont en préparation : revenez bientôt.")


class RetryTooSoonError(EvaluationError):
    def __init__(self, days):
        self.days = days
        super().__init__(
            f"Vous avez évalué cette compétence récemment : vous pourrez la retenter dans {days} "
            f"jour{'s' if days > 1 else ''}."
        )


class NotCurrentChallengeError(EvaluationError):
    def __init__(self):
        super().__init__("Cette question n’est plus la question en cours : voici où vous en êtes.")


class EvaluationCompletedError(EvaluationError):
    def __init__(self):
        super().__init__("Cette évaluation est terminée.")


def evaluation_start(*, user, competence, now=None):
    """The pupil's evaluation of `competence`: the one he left (« Reprendre »), or a new one — the first
    (« Commencer ») or, once the retry delay has passed, another (« Retenter »)."""
    now = now or timezone.now()
    own = Evaluation.objects.filter(user=user, competence=competence, kind=Evaluation.Kind.SELF)
    started = own.filter(status=Evaluation.Status.STARTED)
    if evaluation := started.first():
        return evaluation
    last = own.filter(status=Evaluation.Status.COMPLETED).order_by("-completed_at").first()
    if last and (days := selectors.days_before_retry(last.completed_at, now=now)):
        raise RetryTooSoonError(days)
    if not Challenge.objects.filter(is_active=True, skill__topic__competence=competence).exists():
        raise NoChallengeError()
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(user=user, competence=competence)
            if selectors.evaluation_state(evaluation=evaluation).assessment.is_over:
                _complete(evaluation, now)
    except IntegrityError:
        # A second click or tab created it first: that one is resumed.
        evaluation = started.first()
        if evaluation is None:
            raise
    return evaluation


def evaluation_start_targeted(*, user, competence, topics):
    """A campaign's evaluation of `competence`, restricted to `topics` (its target profile there).

    It starts at once, whatever the pupil's self-evaluations: his teacher asked for it, so no retry delay
    applies, and it starts from what he has already validated. With nothing left to ask — every target
    skill known, or no challenge — it is completed at once. The caller holds the transaction that links it
    to its participation.
    """
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            user=user, competence=competence, kind=Evaluation.Kind.CAMPAIGN
        )
        evaluation.topics.set(topics)
        if selectors.evaluation_state(evaluation=evaluation).assessment.is_over:
            _complete(evaluation)
    return evaluation


def _complete(evaluation, now=None):
    evaluation.status = Evaluation.Status.COMPLETED
    evaluation.completed_at = now or timezone.now()
    evaluation.save(update_fields=["status", "completed_at"])


def evaluation_complete_if_over(*, evaluation, state):
    """Close an evaluation the engine has nothing more to ask in (the bank changed under it)."""
    if state.assessment.is_over and not evaluation.is_completed:
        with transaction.atomic():
            locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
            if not locked.is_completed:
                _complete(locked)
        evaluation.refresh_from_db()


def _result(challenge, value, skipped):
    if skipped:
        return Answer.Result.SKIPPED
    if challenge.is_choice:
        right = is_choice_right(value, challenge.solution)
    else:
        right = is_short_answer_right(value, challenge.accepted)
    return Answer.Result.OK if right else Answer.Result.KO


def evaluation_answer(*, evaluation, challenge, value=None, skipped=False):
    """Record the pupil's answer to `challenge`, the evaluation's current question; returns
    (answer, created).

    `value` is the list of the chosen proposals' numbers for a choice, the typed text for a short answer.
    The evaluation's row lock (and the unique constraint on (evaluation, challenge)) make a double submit,
    a replayed POST or the back button give back the answer already recorded, with created False.
    """
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        recorded = Answer.objects.filter(evaluation=locked, challenge=challenge).first()
        if recorded is not None:
            return recorded, False
        if locked.is_completed:
            raise EvaluationCompletedError()
        state = selectors.evaluation_state(evaluation=locked)
        if state.assessment.next_challenge != challenge.pk:
            raise NotCurrentChallengeError()
        result = _result(challenge, value, skipped)
        stored = "" if skipped else (",".join(map(str, sorted(value))) if challenge.is_choice else value)
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    evaluation=locked, challenge=challenge, value=stored, result=result
                )
        except IntegrityError:
            return Answer.objects.get(evaluation=locked, challenge=challenge), False
        after = state.with_answer(
            engine.Answer(challenge.pk, challenge.skill_id, correct=result == Answer.Result.OK)
        )
        knowledge_changed.send(sender=Evaluation, evaluation=locked, pix=after.competence_pix)
        if after.assessment.is_over:
            _complete(locked)
    evaluation.refresh_from_db()
    return answer, True
