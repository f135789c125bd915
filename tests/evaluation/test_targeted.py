"""A campaign's evaluation of a competence: only its target topics are asked, pix are counted on the whole
competence, and it lives beside the pupil's self-evaluations without getting in their way."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.factories import UserFactory
from evaluation import engine, selectors, services
from evaluation.engine import Answer, State
from evaluation.models import Challenge, Evaluation, Topic
from evaluation.selectors import Competence
from profiles.models import CompetencePix
from tests.evaluation.play import make_bank
from tests.evaluation.test_engine import banks
from tests.evaluation.test_engine import make_bank as engine_bank

pytestmark = pytest.mark.django_db


def made_topics():
    """The topics of make_bank (the real bank's topics of 1.1 are there too, switched off)."""
    return list(Topic.objects.filter(competence__code="1.1", slug__startswith="sujet-1-1-").order_by("slug"))


def first_topic():
    return made_topics()[0]


def start_targeted(user, topics):
    return services.evaluation_start_targeted(
        user=user, competence=Competence.objects.get(code="1.1"), topics=topics
    )


def play(evaluation, *, right):
    """Answer every question of `evaluation` through the services; returns the challenges served."""
    served = []
    while not evaluation.is_completed:
        challenge = Challenge.objects.get(
            pk=selectors.evaluation_state(evaluation=evaluation).assessment.next_challenge
        )
        served.append(challenge)
        value = challenge.solution if right else [n for n in (1, 2, 3) if n not in challenge.solution][:1]
        services.evaluation_answer(evaluation=evaluation, challenge=challenge, value=value)
    return served


# The engine


def test_restricted_bank_keeps_whole_topics_and_their_challenges_only():
    bank = engine_bank([1, 2, 3], [1, 2], [1])
    part = engine.restricted(bank, {2, 3})
    assert {skill.id for skill in part.skills} == {21, 22, 31}
    assert {challenge.id for challenge in part.challenges} == {211, 212, 221, 222, 311, 312}


def test_mastery_by_topic_counts_validated_known_and_offered_skills():
    bank = engine_bank([1, 2, 3], [1, 2])
    knowledge = {11: State.VALIDATED, 12: State.VALIDATED, 13: State.INVALIDATED, 21: State.INVALIDATED}
    assert [
        (row.topic, row.validated, row.tested, row.total) for row in engine.mastery_by_topic(bank, knowledge)
    ] == [
        (1, 2, 3, 3),
        (2, 0, 1, 2),
    ]


@settings(max_examples=200, deadline=None)
@given(bank=banks(), data=st.data())
def test_a_restricted_evaluation_serves_only_its_topics_and_never_counts_more_than_the_whole(bank, data):
    topics = data.draw(st.frozensets(st.sampled_from(sorted(bank.skills_by_topic)), min_size=1))
    part = engine.restricted(bank, topics)
    answers = []
    assessment = engine.assess(part, answers, max_challenges=20, max_level=7)
    while not assessment.is_over:
        skill = next(c.skill for c in part.challenges if c.id == assessment.next_challenge)
        assert bank.skill_by_id[skill].topic in topics
        answers.append(Answer(assessment.next_challenge, skill, data.draw(st.booleans())))
        assessment = engine.assess(part, answers, max_challenges=20, max_level=7)
    # What the restricted evaluation validates is what the whole bank reads from the same answers.
    assert engine.validated_after(part, [answers]) == engine.validated_after(bank, [answers])


# The services


def test_a_targeted_evaluation_asks_only_its_topics():
    make_bank(topics=2)
    pupil = UserFactory()
    topic = first_topic()
    evaluation = start_targeted(pupil, [topic])
    served = play(evaluation, right=True)
    assert served and {challenge.skill.topic_id for challenge in served} == {topic.pk}
    assert evaluation.kind == Evaluation.Kind.CAMPAIGN and evaluation.is_completed


def test_pix_of_a_targeted_evaluation_are_counted_on_the_whole_competence():
    make_bank(topics=2)  # two topics of difficulties 1 to 3: each skill is worth 4 pix
    pupil = UserFactory()
    play(start_targeted(pupil, [first_topic()]), right=True)
    # Every skill of one topic of two: half of 24 pix, not the 24 a bank of that topic alone would give.
    assert CompetencePix.objects.get(user=pupil, competence__code="1.1").pix == 12
    assert selectors.evaluated_pix_by_competence(user=pupil) == {"1.1": 12}


def test_a_targeted_evaluation_starts_from_what_the_pupil_validated_before():
    make_bank(topics=2)
    pupil = UserFactory()
    play(start_targeted(pupil, [first_topic()]), right=True)
    again = start_targeted(pupil, [first_topic()])
    assert again.is_completed  # every skill of the topic is already validated: nothing to ask
    (result,) = selectors.evaluation_results(evaluations=[again])
    assert (result.validated, result.tested, result.total) == (3, 3, 3)


def test_a_targeted_evaluation_ignores_the_retry_delay_and_a_started_self_evaluation():
    make_bank(topics=2)
    pupil = UserFactory()
    competence = Competence.objects.get(code="1.1")
    started_self = services.evaluation_start(user=pupil, competence=competence)
    targeted = start_targeted(pupil, [first_topic()])
    assert not targeted.is_completed and not started_self.is_completed
    assert services.evaluation_start(user=pupil, competence=competence) == started_self


def test_evaluation_results_count_each_topic_of_the_target(django_assert_max_num_queries):
    make_bank(topics=3)
    pupil = UserFactory()
    topics = made_topics()[:2]
    evaluation = start_targeted(pupil, topics)
    play(evaluation, right=False)
    evaluation = Evaluation.objects.select_related("competence").get(pk=evaluation.pk)
    with django_assert_max_num_queries(4):
        (result,) = selectors.evaluation_results(evaluations=[evaluation])
    assert (result.code, len(result.topics), result.total, result.validated) == ("1.1", 2, 6, 0)
    assert [topic.name for topic in result.topics] == [topic.name for topic in topics]
    assert all(topic.tested == 3 for topic in result.topics)  # a wrong answer at 2, then at 1


# The pupil's own pages


def test_a_campaign_evaluation_is_not_offered_on_mon_profil_nor_open_on_the_self_pages(client):
    make_bank(topics=2)
    pupil = UserFactory()
    evaluation = start_targeted(pupil, [first_topic()])
    client.force_login(pupil)
    assert client.get(reverse("evaluation:question", args=[evaluation.pk])).status_code == 404
    assert client.get(reverse("profiles:evaluation_result", args=[evaluation.pk])).status_code == 404
    assert selectors.competence_evaluations(user=pupil)["1.1"].action == "start"
