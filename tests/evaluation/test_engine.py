"""The adaptive engine without the database: knowledge, level, choice of the next challenge, stop, pix."""

import random
import statistics
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import engine
from evaluation.bank import read_bank
from evaluation.engine import Answer, Bank, Challenge, Skill, State
from profiles.framework import COMPETENCE_CODES

MAX_LEVEL = 7


def make_bank(*topics, per_skill=2):
    """A bank of one competence: each argument is a topic's difficulties, each skill with `per_skill`
    challenges. Skill ids are topic * 10 + difficulty; challenge ids are skill id * 10 + 1, 2…"""
    skills = [
        Skill(topic * 10 + difficulty, topic, difficulty)
        for topic, difficulties in enumerate(topics, start=1)
        for difficulty in difficulties
    ]
    challenges = [Challenge(skill.id * 10 + n, skill.id) for skill in skills for n in range(1, per_skill + 1)]
    return Bank(tuple(skills), tuple(challenges))


def answer(bank, challenge_id, correct):
    skill = next(c.skill for c in bank.challenges if c.id == challenge_id)
    return Answer(challenge_id, skill, correct)


def assess(bank, answers, **kwargs):
    kwargs.setdefault("max_challenges", 20)
    kwargs.setdefault("max_level", MAX_LEVEL)
    return engine.assess(bank, answers, **kwargs)


def play(bank, respond, *, seed=0, max_challenges=20, prior_validated=frozenset(), seen_before=frozenset()):
    """Run an evaluation to its end; `respond(skill)` says whether the pupil answers right."""
    answers = []
    while True:
        assessment = assess(
            bank,
            answers,
            seed=seed,
            max_challenges=max_challenges,
            prior_validated=prior_validated,
            seen_before=seen_before,
        )
        if assessment.is_over:
            return answers, assessment
        challenge = assessment.next_challenge
        skill = bank.skill_by_id[next(c.skill for c in bank.challenges if c.id == challenge)]
        answers.append(Answer(challenge, skill.id, respond(skill)))


# Knowledge


def test_right_answer_validates_its_skill_and_the_easier_ones_of_its_topic_only():
    bank = make_bank([1, 2, 3, 4], [1, 2, 3])
    knowledge = engine.knowledge_after(bank, [Answer(131, 13, True)])
    assert knowledge == {11: State.VALIDATED, 12: State.VALIDATED, 13: State.VALIDATED}


def test_wrong_answer_invalidates_its_skill_and_the_harder_ones_of_its_topic_only():
    bank = make_bank([1, 2, 3, 4], [1, 2, 3])
    knowledge = engine.knowledge_after(bank, [Answer(121, 12, False)])
    assert knowledge == {12: State.INVALIDATED, 13: State.INVALIDATED, 14: State.INVALIDATED}


def test_inference_never_overturns_what_is_already_known():
    bank = make_bank([1, 2, 3, 4])
    knowledge = engine.knowledge_after(bank, [Answer(131, 13, True), Answer(211, 11, False)])
    assert knowledge[11] is State.VALIDATED
    assert knowledge[14] is State.INVALIDATED or 14 not in knowledge


def test_retry_starts_from_the_skills_validated_before_and_tries_the_invalidated_again():
    bank = make_bank([1, 2, 3, 4])
    first = [Answer(121, 12, True), Answer(131, 13, False)]
    assert engine.validated_after(bank, [first]) == {11, 12}
    retry = assess(bank, [], prior_validated=engine.validated_after(bank, [first]))
    assert (
        bank.skill_by_id[next(c.skill for c in bank.challenges if c.id == retry.next_challenge)].difficulty
        == 3
    )


# Pix


def test_each_difficulty_is_worth_8_pix_shared_among_its_skills():
    bank = make_bank([1, 2, 3], [1, 2, 3], [1, 2])
    assert bank.skill_pix[11] == Fraction(8, 3)
    assert bank.skill_pix[13] == Fraction(4)
    assert sum(bank.skill_pix.values()) == 24


def test_validating_every_skill_up_to_a_difficulty_gives_its_level_exactly():
    bank = make_bank([1, 2, 3], [1, 2, 3], [1, 2, 3])
    validated = [skill.id for skill in bank.skills if skill.difficulty <= 2]
    assert engine.competence_pix(bank, validated, max_level=MAX_LEVEL) == 16


def test_pix_are_rounded_down_and_capped_at_the_maximum_reachable_level():
    bank = make_bank([1, 2, 3], [1], [1])
    assert engine.competence_pix(bank, [11, 21], max_level=MAX_LEVEL) == 5  # 2 × 8/3
    assert engine.competence_pix(bank, [11, 12, 13, 21, 31], max_level=2) == 16


# Choosing the next challenge


def test_first_challenge_is_of_difficulty_2():
    bank = make_bank([1, 2, 3, 4], [1, 2, 3])
    first = assess(bank, []).next_challenge
    assert bank.skill_by_id[first // 10].difficulty == 2


def test_second_challenge_goes_to_another_topic():
    bank = make_bank([1, 2, 3, 4], [1, 2, 3, 4])
    first = assess(bank, [], seed=3).next_challenge
    second = assess(bank, [answer(bank, first, True)], seed=3).next_challenge
    assert bank.skill_by_id[first // 10].topic != bank.skill_by_id[second // 10].topic


def test_level_rises_with_right_answers_and_the_next_challenge_with_it():
    bank = make_bank([1, 2, 3, 4, 5], [1, 2, 3, 4, 5])
    answers = [answer(bank, assess(bank, []).next_challenge, True)]
    assessment = assess(bank, answers)
    assert assessment.level == 2
    assert bank.skill_by_id[assessment.next_challenge // 10].difficulty == 3


def test_same_evaluation_gets_the_same_question_and_another_seed_may_not():
    bank = make_bank(*[[1, 2, 3]] * 4)
    assert assess(bank, [], seed=7).next_challenge == assess(bank, [], seed=7).next_challenge
    assert len({assess(bank, [], seed=seed).next_challenge for seed in range(30)}) > 1


def test_a_challenge_met_in_an_earlier_evaluation_is_served_only_when_no_other_is_left():
    bank = make_bank([1, 2, 3])
    assert assess(bank, [], seen_before={121}).next_challenge == 122
    assert assess(bank, [], seen_before={121, 122}).next_challenge in {121, 122}


def test_evaluation_stops_when_every_skill_is_known():
    bank = make_bank([1, 2, 3])
    answers, assessment = play(bank, lambda skill: True)
    assert assessment.is_over and assessment.knowledge == dict.fromkeys([11, 12, 13], State.VALIDATED)
    assert assessment.expected_total == len(answers)


def test_evaluation_stops_after_the_bound():
    bank = make_bank(*[[1, 2, 3, 4, 5, 6, 7, 8]] * 4)
    answers, assessment = play(bank, lambda skill: skill.difficulty <= 5, max_challenges=3)
    assert len(answers) == 3 and assessment.is_over


def test_progress_announces_about_how_many_questions_are_left():
    bank = make_bank(*[[1, 2, 3, 4, 5, 6, 7]] * 3)
    assert assess(bank, []).expected_total == 9  # a binary search over 7 skills, in 3 topics


# Properties


@st.composite
def banks(draw):
    skills, challenges = [], []
    for topic in range(draw(st.integers(1, 4))):
        for difficulty in sorted(draw(st.sets(st.integers(1, 8), min_size=1, max_size=8))):
            skill = Skill(len(skills) + 1, topic, difficulty)
            skills.append(skill)
            for _ in range(draw(st.integers(1, 2))):
                challenges.append(Challenge(len(challenges) + 1, skill.id))
    return Bank(tuple(skills), tuple(challenges))


@settings(max_examples=300, deadline=None)
@given(
    bank=banks(),
    data=st.data(),
    max_challenges=st.integers(1, 30),
    max_level=st.integers(1, 8),
    seed=st.integers(0, 10**6),
)
def test_engine_serves_each_challenge_once_follows_the_evidence_stops_and_caps_pix(
    bank, data, max_challenges, max_level, seed
):
    prior = data.draw(st.frozensets(st.sampled_from([skill.id for skill in bank.skills])))
    seen = data.draw(st.frozensets(st.sampled_from([challenge.id for challenge in bank.challenges])))
    options = {"prior_validated": prior, "seen_before": seen, "seed": seed}
    options |= {"max_challenges": max_challenges, "max_level": max_level}
    answers, served = [], set()
    assessment = engine.assess(bank, answers, **options)
    while not assessment.is_over:
        challenge = assessment.next_challenge
        assert challenge not in served, "a challenge was served twice"
        served.add(challenge)
        skill = next(c.skill for c in bank.challenges if c.id == challenge)
        assert skill not in assessment.knowledge, "a challenge that teaches nothing was served"
        correct = data.draw(st.booleans())
        answers.append(Answer(challenge, skill, correct))
        following = engine.assess(bank, answers, **options)
        if correct:
            assert following.level >= assessment.level, "a right answer lowered the estimated level"
        else:
            assert following.level <= assessment.level, "a wrong answer raised the estimated level"
        assert following.pix >= assessment.pix, "an answer lowered the pix"
        assert following.pix <= 8 * max_level, "pix above the cap"
        assert len(answers) <= max_challenges, "the engine went past its bound"
        assessment = following
    assert len(answers) <= max_challenges
    assert assessment.pix <= 8 * max_level


@settings(max_examples=300, deadline=None)
@given(
    bank=banks(),
    data=st.data(),
)
def test_estimated_level_never_moves_against_any_evidence(bank, data):
    """Whatever the order of the answers, and even on challenges the engine would not choose."""
    skill_ids = [skill.id for skill in bank.skills]
    prior = data.draw(st.frozensets(st.sampled_from(skill_ids)))
    answers = []
    level = engine.estimated_level(bank, answers, prior)
    for skill, correct in data.draw(
        st.lists(st.tuples(st.sampled_from(skill_ids), st.booleans()), max_size=20)
    ):
        answers.append(Answer(skill * 1000, skill, correct))
        following = engine.estimated_level(bank, answers, prior)
        assert following >= level if correct else following <= level
        assert 0 <= following <= bank.max_difficulty
        level = following


# Simulation: pupils of known level


def _bank_from_files():
    """The real bank's competences, as engine banks."""
    banks = {}
    for competence in read_bank(competence_codes=set(COMPETENCE_CODES)):
        skills, challenges = {}, []
        for topic_index, topic in enumerate(competence.topics):
            for challenge in topic.challenges:
                key = (topic_index, challenge.difficulty)
                skills.setdefault(key, Skill(len(skills) + 1, topic_index, challenge.difficulty))
                challenges.append(Challenge(len(challenges) + 1, skills[key].id))
        banks[competence.code] = Bank(tuple(skills.values()), tuple(challenges))
    return banks


def _placed_pix(bank, level):
    """What a pupil of `level` is worth on `bank`: 8 pix for each difficulty up to his level."""
    return min(8 * len({s.difficulty for s in bank.skills if s.difficulty <= level}), 8 * MAX_LEVEL)


def _simulate(bank, *, slip=0.0, seeds=range(10)):
    counts, placed = [], 0
    for level in range(9):
        for seed in seeds:
            draw = random.Random(seed)
            answers, assessment = play(
                bank,
                lambda skill, level=level, draw=draw: (skill.difficulty <= level) != (draw.random() < slip),
                seed=seed,
                max_challenges=100,  # unbounded here, so that the bound of the settings is tested, not used
            )
            counts.append(len(answers))
            expected = _placed_pix(bank, level)
            placed += abs(assessment.pix - expected) <= 8 if slip else assessment.pix == expected
    return counts, placed / len(counts)


def test_simulated_pupils_of_known_level_are_placed_in_few_challenges(capsys, settings):
    typical = {
        "2 sujets, difficultés 1 à 3": make_bank([1, 2, 3], [1, 2, 3]),
        "3 sujets, difficultés 1 à 6": make_bank(*[[1, 2, 3, 4, 5, 6]] * 3),
        "4 sujets, difficultés 1 à 5, 1 à 3": make_bank(
            [1, 2, 3, 4, 5], [1, 2, 3, 4, 5], [1, 2, 3], [1, 2, 3]
        ),
        "4 sujets, difficultés 1 à 8": make_bank(*[[1, 2, 3, 4, 5, 6, 7, 8]] * 4),
    }
    typical |= {f"banque réelle {code}": bank for code, bank in _bank_from_files().items()}
    lines, all_counts, real_counts = [], [], []
    for name, bank in typical.items():
        counts, exact = _simulate(bank)
        noisy_counts, close = _simulate(bank, slip=0.1)
        all_counts += counts
        if name.startswith("banque réelle"):
            real_counts += counts
        lines.append(
            f"{name} : médiane {statistics.median(counts)} épreuves (max {max(counts)}), placés exactement "
            f"{exact * 100:.0f} % ; avec 10 % d’erreurs : médiane {statistics.median(noisy_counts)}, "
            f"à un niveau près {close * 100:.0f} %"
        )
        assert exact == 1, f"{name}: a consistent pupil must be placed exactly"
        assert close >= 0.8, f"{name}: pupils who slip now and then must be placed within one level"
        assert max(counts) <= settings.EVALUATION_MAX_CHALLENGES
    median = statistics.median(all_counts)
    with capsys.disabled():
        print("\nSimulation (élèves de niveau 0 à 8, 10 graines chacun) :")
        print("\n".join(f"  {line}" for line in lines))
        print(f"  Médiane sur la banque réelle : {statistics.median(real_counts)} épreuves")
        print(f"  Médiane sur toutes les banques : {median} épreuves pour placer un élève sur une compétence")
    assert median <= 12
