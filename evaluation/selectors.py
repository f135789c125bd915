"""Reads of the evaluation app: a pupil's knowledge, where his evaluations stand, what he may start."""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from . import engine
from .models import Answer, Challenge, Evaluation, Topic

# profiles' Competence, reached through the foreign key: evaluation imports nothing from profiles.
Competence = Topic._meta.get_field("competence").related_model


def competence_by_code(code):
    return Competence.objects.filter(code=code).first()


def topics_with_challenges():
    """The topics a campaign may target: those with a challenge to ask, by competence (one query)."""
    servable = Challenge.objects.filter(is_active=True, skill__topic=OuterRef("pk"))
    return (
        Topic.objects.filter(Exists(servable))
        .select_related("competence__area")
        .order_by("competence__code", "position", "slug")
    )


def evaluation_of_user(*, user, pk):
    """The pupil's own self-evaluation, or None: another pupil's evaluation does not exist for him, and a
    campaign's evaluation is taken through its campaign's pages."""
    return (
        Evaluation.objects.select_related("competence")
        .filter(pk=pk, user=user, kind=Evaluation.Kind.SELF)
        .first()
    )


def _banks(competence_ids):
    """The engine's bank of each competence: its active challenges and the skills they test."""
    skills, challenges = defaultdict(dict), defaultdict(list)
    rows = Challenge.objects.filter(
        is_active=True, skill__topic__competence_id__in=competence_ids
    ).values_list("id", "skill_id", "skill__topic_id", "skill__difficulty", "skill__topic__competence_id")
    for challenge_id, skill_id, topic_id, difficulty, competence_id in rows:
        skills[competence_id][skill_id] = engine.Skill(skill_id, topic_id, difficulty)
        challenges[competence_id].append(engine.Challenge(challenge_id, skill_id))
    return {
        competence_id: engine.Bank(tuple(skills[competence_id].values()), tuple(challenges[competence_id]))
        for competence_id in competence_ids
    }


def _histories(user, competence_ids):
    """competence id -> [(evaluation id, [engine.Answer…]), …], oldest evaluation first."""
    histories = defaultdict(dict)
    rows = (
        Answer.objects.filter(evaluation__user=user, evaluation__competence_id__in=competence_ids)
        .order_by("evaluation_id", "id")
        .values_list(
            "evaluation__competence_id", "evaluation_id", "challenge_id", "challenge__skill_id", "result"
        )
    )
    for competence_id, evaluation_id, challenge_id, skill_id, result in rows:
        answer = engine.Answer(challenge_id, skill_id, correct=result == Answer.Result.OK)
        histories[competence_id].setdefault(evaluation_id, []).append(answer)
    return {competence_id: list(histories[competence_id].items()) for competence_id in competence_ids}


@dataclass(frozen=True)
class EvaluationState:
    """An evaluation read with the engine: `assessment` is where it stands; `bank`, `earlier` and `answers`
    are what it was computed from, so that a service adds an answer without reading them again.

    `bank` holds what the evaluation may ask (a campaign's target topics, or the whole competence);
    `competence_bank` the whole competence, on which pix are counted."""

    evaluation: Evaluation
    bank: engine.Bank
    competence_bank: engine.Bank
    earlier: list  # answers of the pupil's earlier evaluations of the competence, one list each
    answers: list  # answers of this evaluation, in order
    assessment: engine.Assessment

    @property
    def answered_count(self):
        return len(self.answers)

    @property
    def competence_pix(self):
        """The pix of every skill of the competence the pupil has validated so far, capped."""
        validated = engine.validated_after(self.competence_bank, [*self.earlier, self.answers])
        return engine.competence_pix(
            self.competence_bank, validated, max_level=settings.PIX_MAX_REACHABLE_LEVEL
        )

    def with_answer(self, answer):
        answers = [*self.answers, answer]
        assessment = _assess(self.bank, self.earlier, answers, seed=self.evaluation.pk)
        return EvaluationState(
            self.evaluation, self.bank, self.competence_bank, self.earlier, answers, assessment
        )


def _assess(bank, earlier, answers, *, seed):
    return engine.assess(
        bank,
        answers,
        prior_validated=engine.validated_after(bank, earlier),
        seen_before=frozenset(answer.challenge for answers in earlier for answer in answers),
        seed=seed,
        max_challenges=settings.EVALUATION_MAX_CHALLENGES,
        max_level=settings.PIX_MAX_REACHABLE_LEVEL,
    )


def evaluation_state(*, evaluation):
    """Where `evaluation` stands (two queries, three for a campaign's evaluation)."""
    competence_id = evaluation.competence_id
    competence_bank = _banks([competence_id])[competence_id]
    bank = competence_bank
    if not evaluation.is_self_evaluation:
        bank = engine.restricted(competence_bank, evaluation.topics.values_list("pk", flat=True))
    history = _histories(evaluation.user_id, [competence_id])[competence_id]
    earlier = [answers for evaluation_id, answers in history if evaluation_id < evaluation.pk]
    answers = next((answers for evaluation_id, answers in history if evaluation_id == evaluation.pk), [])
    assessment = _assess(bank, earlier, answers, seed=evaluation.pk)
    return EvaluationState(evaluation, bank, competence_bank, earlier, answers, assessment)


@dataclass(frozen=True)
class TopicResult:
    name: str
    validated: int
    tested: int
    total: int


@dataclass(frozen=True)
class CompetenceResult:
    """What a campaign's evaluation of one competence established, topic by topic."""

    code: str
    name: str
    topics: list  # TopicResult, in the topics' order

    @property
    def validated(self):
        return sum(topic.validated for topic in self.topics)

    @property
    def tested(self):
        return sum(topic.tested for topic in self.topics)

    @property
    def total(self):
        return sum(topic.total for topic in self.topics)


def evaluation_results(*, evaluations):
    """For each evaluation, in the order given: the skills of the topics it covers that the pupil has
    validated, those known either way, and those offered (three queries per evaluation, and one)."""
    states = [evaluation_state(evaluation=evaluation) for evaluation in evaluations]
    topic_ids = {skill.topic for state in states for skill in state.bank.skills}
    topics = {
        topic.pk: topic
        for topic in Topic.objects.filter(pk__in=topic_ids)
        .order_by("position", "slug")
        .select_related("competence")
    }
    results = []
    for evaluation, state in zip(evaluations, states, strict=True):
        known = state.assessment.knowledge
        rows = sorted(
            engine.mastery_by_topic(state.bank, known),
            key=lambda row: (topics[row.topic].position, topics[row.topic].slug),
        )
        results.append(
            CompetenceResult(
                code=evaluation.competence.code,
                name=evaluation.competence.name,
                topics=[
                    TopicResult(topics[row.topic].name, row.validated, row.tested, row.total) for row in rows
                ],
            )
        )
    return results


def evaluated_pix_by_competence(*, user):
    """competence code -> the pix of the skills the pupil validated in his evaluations, capped (2 queries
    when he has evaluated something, 1 otherwise)."""
    codes = dict(
        Evaluation.objects.filter(user=user)
        .order_by()
        .values_list("competence_id", "competence__code")
        .distinct()
    )
    if not codes:
        return {}
    banks = _banks(list(codes))
    histories = _histories(user, list(codes))
    return {
        code: engine.competence_pix(
            banks[competence_id],
            engine.validated_after(
                banks[competence_id], [answers for _, answers in histories[competence_id]]
            ),
            max_level=settings.PIX_MAX_REACHABLE_LEVEL,
        )
        for competence_id, code in codes.items()
    }


def days_before_retry(completed_at, *, now):
    """Whole days, rounded up, before a competence evaluated at `completed_at` may be tried again; 0 when
    it may be now."""
    remaining = completed_at + datetime.timedelta(days=settings.EVALUATION_RETRY_DELAY_DAYS) - now
    return max(0, math.ceil(remaining / datetime.timedelta(days=1)))


@dataclass(frozen=True)
class CompetenceEvaluation:
    """What Mon profil offers for one competence."""

    START = "start"
    RESUME = "resume"
    RETRY = "retry"
    WAIT = "wait"

    action: str
    evaluation_id: int | None = None
    retry_in_days: int = 0


def competence_evaluations(*, user, now=None):
    """competence code -> CompetenceEvaluation (two queries). A competence that has no challenge and that
    the pupil never evaluated is absent: nothing is offered for it yet."""
    now = now or timezone.now()
    available = set(
        Challenge.objects.filter(is_active=True)
        .values_list("skill__topic__competence__code", flat=True)
        .distinct()
    )
    latest = {}
    for evaluation in (
        Evaluation.objects.filter(user=user, kind=Evaluation.Kind.SELF)
        .order_by("competence_id", "-id")
        .values("id", "competence__code", "status", "completed_at")
    ):
        latest.setdefault(evaluation["competence__code"], evaluation)
    result = {}
    for code in available | set(latest):
        last = latest.get(code)
        if last and last["status"] == Evaluation.Status.STARTED:
            result[code] = CompetenceEvaluation(CompetenceEvaluation.RESUME, evaluation_id=last["id"])
        elif code not in available:
            continue
        elif last is None:
            result[code] = CompetenceEvaluation(CompetenceEvaluation.START)
        elif days := days_before_retry(last["completed_at"], now=now):
            result[code] = CompetenceEvaluation(
                CompetenceEvaluation.WAIT, evaluation_id=last["id"], retry_in_days=days
            )
        else:
            result[code] = CompetenceEvaluation(CompetenceEvaluation.RETRY, evaluation_id=last["id"])
    return result
