"""The adaptive evaluation engine: what a pupil knows, where he stands, what to ask him next. Pure functions.

A *skill* (« acquis ») is a topic and a difficulty from 1 to 8; a *challenge* (« épreuve ») tests one skill.

Knowledge holds, per skill, VALIDATED or INVALIDATED; a skill absent from it is unknown. A right answer
validates its skill and the easier skills of its topic; a wrong answer (or « Je passe ») invalidates its
skill and the harder ones. Inference only fills unknown skills: what was already known stays known, so the
pix of a pupil never go down during an evaluation.

The estimated level θ (0 to the bank's highest difficulty) says « the pupil masters the difficulties up to
θ ». It is read from the observations (each answer, and for a retry the highest skill validated before in
each topic, counted as a success): every θ scores one point per observation it explains (a success at
difficulty d when θ ≥ d, a failure when θ < d). The best-scoring levels form a range [low, high], and the
estimate is STARTING_LEVEL brought into that range. A success only adds points to high levels, a failure
only to low ones, so both ends of the range — hence the estimate — never move against the evidence.

The next challenge tests an unknown skill at the estimated level + 1 (the first difficulty not yet shown),
else the nearest around it, the level itself first; among those it spreads across topics, prefers a
challenge the pupil has not met in an earlier evaluation, and draws the rest from a seed, so that the same
evaluation always gets the same question and two pupils side by side do not. It is never a challenge already
served in this evaluation. The evaluation stops when no unknown skill has a challenge left, or after
`max_challenges` answers.
"""

import enum
import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

# Validating every skill of difficulty d in a competence earns this many pix, whatever the number of
# topics (bank-format.md), so that the skills of difficulties 1..L make 8 × L pix, i.e. level L.
PIX_PER_DIFFICULTY = 8
# Where a pupil about whom nothing is known is placed: he is first asked a difficulty-2 challenge, what a
# collège pupil who has practised knows, as Pix starts its own evaluations.
STARTING_LEVEL = 1


class State(enum.Enum):
    VALIDATED = "validated"
    INVALIDATED = "invalidated"


@dataclass(frozen=True)
class Skill:
    id: int
    topic: int
    difficulty: int


@dataclass(frozen=True)
class Challenge:
    id: int
    skill: int


@dataclass(frozen=True)
class Answer:
    """A challenge answered: `correct` is False for a wrong answer and for « Je passe »."""

    challenge: int
    skill: int
    correct: bool


@dataclass(frozen=True)
class Bank:
    """The skills and servable challenges of one competence (or of any target set of skills)."""

    skills: tuple
    challenges: tuple

    @cached_property
    def skill_by_id(self):
        return {skill.id: skill for skill in self.skills}

    @cached_property
    def challenges_by_skill(self):
        grouped = defaultdict(list)
        for challenge in sorted(self.challenges, key=lambda challenge: challenge.id):
            if challenge.skill in self.skill_by_id:
                grouped[challenge.skill].append(challenge)
        return grouped

    @cached_property
    def skills_by_topic(self):
        grouped = defaultdict(list)
        for skill in sorted(self.skills, key=lambda skill: (skill.topic, skill.difficulty, skill.id)):
            grouped[skill.topic].append(skill)
        return grouped

    @cached_property
    def max_difficulty(self):
        return max((skill.difficulty for skill in self.skills), default=0)

    @cached_property
    def skill_pix(self):
        """Pix of each skill: 8 / (number of skills of its difficulty), as an exact fraction."""
        per_difficulty = Counter(skill.difficulty for skill in self.skills)
        return {
            skill.id: Fraction(PIX_PER_DIFFICULTY, per_difficulty[skill.difficulty]) for skill in self.skills
        }


@dataclass(frozen=True)
class Assessment:
    """Where an evaluation stands after its answers so far."""

    knowledge: dict  # skill id -> State; unknown skills are absent
    level: int
    pix: int
    next_challenge: int | None
    expected_total: int  # answers so far plus a rough count of those still to come

    @property
    def is_over(self):
        return self.next_challenge is None


def _validated(knowledge):
    return frozenset(skill for skill, state in knowledge.items() if state is State.VALIDATED)


def knowledge_after(bank, answers, prior_validated=frozenset()):
    """Knowledge after `answers`, in order, starting from the skills validated in earlier evaluations."""
    knowledge = {skill: State.VALIDATED for skill in prior_validated if skill in bank.skill_by_id}
    for answer in answers:
        answered = bank.skill_by_id.get(answer.skill)
        if answered is None:
            continue
        for skill in bank.skills_by_topic[answered.topic]:
            if skill.id in knowledge:
                continue
            if answer.correct and skill.difficulty <= answered.difficulty:
                knowledge[skill.id] = State.VALIDATED
            elif not answer.correct and skill.difficulty >= answered.difficulty:
                knowledge[skill.id] = State.INVALIDATED
    return knowledge


def _observations(bank, answers, prior_validated):
    """(difficulty, success) pairs the level is read from."""
    highest_before = {}
    for skill_id in prior_validated:
        skill = bank.skill_by_id.get(skill_id)
        if skill is not None:
            highest_before[skill.topic] = max(highest_before.get(skill.topic, 0), skill.difficulty)
    observations = [(difficulty, True) for difficulty in highest_before.values()]
    observations += [
        (bank.skill_by_id[answer.skill].difficulty, answer.correct)
        for answer in answers
        if answer.skill in bank.skill_by_id
    ]
    return observations


def estimated_level(bank, answers, prior_validated=frozenset()):
    observations = _observations(bank, answers, prior_validated)
    scores = [
        sum(1 for difficulty, success in observations if (level >= difficulty) == success)
        for level in range(bank.max_difficulty + 1)
    ]
    if not scores:
        return 0
    best = max(scores)
    low = scores.index(best)
    high = len(scores) - 1 - scores[::-1].index(best)
    return min(max(STARTING_LEVEL, low), high)


def competence_pix(bank, validated, *, max_level):
    """Pix of the validated skills, rounded down, capped at the maximum reachable level."""
    total = sum((bank.skill_pix[skill] for skill in validated if skill in bank.skill_pix), Fraction(0))
    return min(math.floor(total), PIX_PER_DIFFICULTY * max_level)


def _closeness(difficulty, target):
    """0 for the target difficulty, then the level itself, one above, two below…: « at or just above »."""
    delta = difficulty - target
    return 2 * abs(delta) - (delta < 0)


def next_challenge(bank, answers, *, knowledge, level, seen_before=frozenset(), seed=0, max_challenges):
    """The most informative challenge to serve next, or None when the evaluation is over."""
    if len(answers) >= max_challenges:
        return None
    served = {answer.challenge for answer in answers}
    answered_topics = [bank.skill_by_id[a.skill].topic for a in answers if a.skill in bank.skill_by_id]
    asked_per_topic = Counter(answered_topics)
    last_topic = answered_topics[-1] if answered_topics else None
    draw = random.Random(f"{seed}:{len(answers)}")
    best = None
    for skill in sorted(bank.skills, key=lambda skill: skill.id):
        if skill.id in knowledge:
            continue
        options = [c for c in bank.challenges_by_skill.get(skill.id, ()) if c.id not in served]
        if not options:
            continue
        fresh = [challenge for challenge in options if challenge.id not in seen_before]
        key = (
            _closeness(skill.difficulty, level + 1),
            not fresh,
            asked_per_topic[skill.topic],
            skill.topic == last_topic,
            draw.random(),
        )
        if best is None or key < best[0]:
            best = (key, fresh or options)
    if best is None:
        return None
    return draw.choice(best[1]).id


def _expected_remaining(bank, knowledge, served):
    """About how many answers are still to come: a binary search over each topic's unknown skills."""
    remaining = 0
    for skills in bank.skills_by_topic.values():
        unknown = sum(
            1
            for skill in skills
            if skill.id not in knowledge
            and any(c.id not in served for c in bank.challenges_by_skill.get(skill.id, ()))
        )
        remaining += math.ceil(math.log2(unknown + 1))
    return remaining


def assess(
    bank, answers, *, prior_validated=frozenset(), seen_before=frozenset(), seed=0, max_challenges, max_level
):
    """Knowledge, level, pix and next challenge of an evaluation after `answers` (in the order given)."""
    answers = tuple(answers)
    knowledge = knowledge_after(bank, answers, prior_validated)
    level = estimated_level(bank, answers, prior_validated)
    following = next_challenge(
        bank,
        answers,
        knowledge=knowledge,
        level=level,
        seen_before=seen_before,
        seed=seed,
        max_challenges=max_challenges,
    )
    if following is None:
        expected_total = len(answers)
    else:
        served = {answer.challenge for answer in answers}
        remaining = max(1, _expected_remaining(bank, knowledge, served))
        expected_total = min(max_challenges, len(answers) + remaining)
    return Assessment(
        knowledge=knowledge,
        level=level,
        pix=competence_pix(bank, _validated(knowledge), max_level=max_level),
        next_challenge=following,
        expected_total=expected_total,
    )


def restricted(bank, topics):
    """The part of `bank` that tests `topics`: a campaign evaluates only the topics of its target profile.

    Whole topics are kept, so inference inside a topic is the same as in the full bank; pix, which depend
    on every skill of the competence, are still counted on the full bank."""
    topics = frozenset(topics)
    skills = tuple(skill for skill in bank.skills if skill.topic in topics)
    kept = {skill.id for skill in skills}
    return Bank(skills, tuple(challenge for challenge in bank.challenges if challenge.skill in kept))


@dataclass(frozen=True)
class TopicMastery:
    """What is known of one topic's skills: `validated` ≤ `tested` (validated or invalidated) ≤ `total`."""

    topic: int
    validated: int
    tested: int
    total: int


def mastery_by_topic(bank, knowledge):
    """Per topic of `bank`, in topic order: how many of its skills are validated, known, and offered."""
    return [
        TopicMastery(
            topic,
            sum(1 for skill in skills if knowledge.get(skill.id) is State.VALIDATED),
            sum(1 for skill in skills if skill.id in knowledge),
            len(skills),
        )
        for topic, skills in sorted(bank.skills_by_topic.items())
    ]


def validated_after(bank, evaluations):
    """Skills validated after a pupil's evaluations of one competence, each a sequence of answers, oldest
    first. A retry starts from the skills validated before; the invalidated ones may be tried again."""
    validated = frozenset()
    for answers in evaluations:
        validated = _validated(knowledge_after(bank, answers, validated))
    return validated
