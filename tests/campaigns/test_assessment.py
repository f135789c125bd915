"""Assessment campaigns without the pages: the target profile, the pupil's way through it, the result
frozen at sending, and what his answers do to his live profile."""

import pytest

from campaigns import services
from campaigns.assessment import assessment_result, competences_of, mastery_rate
from campaigns.models import Campaign, Participation, ParticipationEvaluation
from campaigns.selectors import campaign_target_profile
from evaluation.models import Challenge, Evaluation
from evaluation.selectors import CompetenceResult, TopicResult
from profiles.models import CompetencePix
from tests.campaigns.assessments import answer_all, assessment, bank_topics, joined

pytestmark = pytest.mark.django_db


# The result, as pure functions


@pytest.mark.parametrize(
    ("validated", "total", "rate"), [(0, 6, 0), (1, 3, 33), (2, 3, 66), (5, 6, 83), (6, 6, 100), (0, 0, 0)]
)
def test_mastery_rate_is_rounded_down_so_that_100_means_everything(validated, total, rate):
    assert mastery_rate(validated, total) == rate


def test_assessment_result_counts_each_competence_and_the_whole_target():
    result = assessment_result(
        [
            CompetenceResult(
                "1.1",
                "Mener une recherche",
                [TopicResult("Requêtes", 3, 3, 3), TopicResult("Sources", 0, 1, 3)],
            ),
            CompetenceResult("2.1", "Interagir", [TopicResult("Messagerie", 1, 2, 4)]),
        ]
    )
    assert result["competences"]["1.1"] | {"topics": None} == {
        "name": "Mener une recherche",
        "validated": 3,
        "tested": 4,
        "total": 6,
        "mastery": 50,
        "topics": None,
    }
    assert result["competences"]["1.1"]["topics"][1] == {
        "name": "Sources",
        "validated": 0,
        "tested": 1,
        "total": 3,
        "mastery": 0,
    }
    assert (result["validated"], result["tested"], result["total"], result["mastery"]) == (4, 6, 10, 40)
    first, missing = competences_of(result, ["2.1", "3.1"])
    assert (first.code, first.mastery, missing) == ("2.1", 25, None)


# Creating


def test_an_assessment_needs_a_target_profile(organization, teacher):
    with pytest.raises(services.TargetProfileRequiredError):
        services.campaign_create(
            organization=organization, creator=teacher, name="Évaluation", type=Campaign.Type.ASSESSMENT
        )
    assert not Campaign.objects.exists()


def test_an_assessment_keeps_its_target_and_a_collection_has_none(organization, teacher):
    topics = bank_topics()
    created = services.campaign_create(
        organization=organization,
        creator=teacher,
        name="Évaluation",
        type=Campaign.Type.ASSESSMENT,
        target_topics=topics[:3],
    )
    collection = services.campaign_create(
        organization=organization, creator=teacher, name="Collecte", target_topics=topics
    )
    assert set(created.target_topics.all()) == set(topics[:3])
    assert not collection.target_topics.exists()


def test_duplicate_copies_the_target_profile(organization, teacher, colleague):
    topics = bank_topics()
    original = assessment(organization, teacher, topics[:2])
    copy = services.campaign_duplicate(campaign=original, user=colleague)
    assert copy.type == Campaign.Type.ASSESSMENT and copy.code != original.code
    assert set(copy.target_topics.all()) == set(topics[:2])


def test_target_profile_lists_competences_in_code_order_with_their_topics(organization, teacher):
    topics = bank_topics(codes=("2.1", "1.1"))
    campaign = assessment(organization, teacher, [topics[3], topics[0], topics[1]])
    target = campaign_target_profile(campaign=campaign)
    assert [(item.competence.code, [topic.pk for topic in item.topics]) for item in target] == [
        ("1.1", [topics[0].pk, topics[1].pk]),
        ("2.1", [topics[3].pk]),
    ]


# Taking it


@pytest.fixture
def campaign(organization, teacher):
    """An assessment on one topic of 1.1 and the whole of 2.1."""
    topics = bank_topics()
    return assessment(organization, teacher, [topics[0], topics[2], topics[3]])


def test_the_pupil_is_asked_one_competence_after_the_other_then_may_send(campaign, pupil):
    participation = joined(campaign, pupil)
    first = services.participation_assessment_current(participation=participation)
    assert first.competence.code == "1.1" and first.kind == Evaluation.Kind.CAMPAIGN
    assert answer_all(participation, right=True) > 0
    links = ParticipationEvaluation.objects.filter(participation=participation).order_by("competence__code")
    assert [link.competence.code for link in links] == ["1.1", "2.1"]
    assert all(link.evaluation.is_completed for link in links)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.TO_SHARE


def test_the_current_evaluation_is_resumed_not_started_again(campaign, pupil):
    participation = joined(campaign, pupil)
    answer_all(participation, stop_after=1)
    again = services.participation_assessment_current(participation=participation)
    assert again.competence.code == "1.1" and again.answers.count() == 1
    assert Evaluation.objects.count() == 1


def test_right_answers_raise_the_live_profile(campaign, pupil):
    participation = joined(campaign, pupil)
    answer_all(participation, right=True)
    live = dict(CompetencePix.objects.filter(user=pupil).values_list("competence__code", "pix"))
    # 1.1: one topic of two, difficulties 1 to 3 (12 pix of 24); 2.1: both topics (24 pix).
    assert live == {"1.1": 12, "2.1": 24}


def test_sending_freezes_the_result_per_competence_and_topic(campaign, pupil):
    participation = joined(campaign, pupil)
    answer_all(participation, right=True)
    sent = services.participation_send_profile(participation=participation)
    assert sent.status == Participation.Status.SHARED and sent.snapshot is None
    assert sent.mastery_rate == 100 and sent.is_certifiable is None
    result = sent.assessment_result
    assert list(result["competences"]) == ["1.1", "2.1"]
    assert [(t["validated"], t["total"]) for t in result["competences"]["1.1"]["topics"]] == [(3, 3)]
    assert (result["competences"]["2.1"]["validated"], result["competences"]["2.1"]["total"]) == (6, 6)
    assert "mes résultats à cette évaluation" in sent.consent.text
    campaign.refresh_from_db()
    assert (campaign.received_count, campaign.certifiable_count) == (1, 0)


def test_wrong_answers_give_no_mastery(campaign, pupil):
    participation = joined(campaign, pupil)
    answer_all(participation, right=False)
    sent = services.participation_send_profile(participation=participation)
    assert sent.mastery_rate == 0
    assert sent.assessment_result["tested"] == sent.assessment_result["total"] == 9


def test_results_cannot_be_sent_before_the_last_question(campaign, pupil):
    participation = joined(campaign, pupil)
    answer_all(participation, stop_after=2)
    with pytest.raises(services.AssessmentNotFinishedError):
        services.participation_send_profile(participation=participation)
    participation.refresh_from_db()
    assert participation.status == Participation.Status.STARTED


def test_an_archived_assessment_refuses_to_start_and_to_send(campaign, pupil, teacher):
    participation = joined(campaign, pupil)
    answer_all(participation)
    services.campaign_archive(campaign=campaign, user=teacher)
    with pytest.raises(services.CampaignArchivedError):
        services.participation_send_profile(participation=participation)
    with pytest.raises(services.CampaignArchivedError):
        services.participation_start(campaign=campaign, user=pupil, learner=participation.learner)


def test_a_deleted_participation_cannot_send(campaign, pupil, teacher):
    participation = joined(campaign, pupil)
    answer_all(participation)
    services.participation_delete(participation=participation, user=teacher)
    with pytest.raises(services.ParticipationDeletedError):
        services.participation_send_profile(participation=participation)


def test_with_multiple_sendings_the_pupil_takes_it_again_from_what_he_knows(organization, teacher, pupil):
    topics = bank_topics()
    campaign = assessment(organization, teacher, topics[:2], multiple_sendings=True)
    first = joined(campaign, pupil)
    answer_all(first, right=False)
    services.participation_send_profile(participation=first)
    second = joined(campaign, pupil)
    assert second.pk != first.pk and second.status == Participation.Status.STARTED
    answer_all(second, right=True)
    sent = services.participation_send_profile(participation=second)
    assert (sent.sending_number, sent.mastery_rate) == (2, 100)
    first.refresh_from_db()
    assert first.is_improved and not first.is_latest_sending and first.mastery_rate == 0
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (1, 1)


def test_a_target_without_questions_left_is_ready_to_send_at_once(organization, teacher, pupil):
    topics = bank_topics(codes=("1.1",))
    campaign = assessment(organization, teacher, topics)
    Challenge.objects.update(is_active=False)
    participation = joined(campaign, pupil)
    assert services.participation_assessment_current(participation=participation) is None
    participation.refresh_from_db()
    assert participation.status == Participation.Status.TO_SHARE
    sent = services.participation_send_profile(participation=participation)
    assert (sent.mastery_rate, sent.assessment_result["total"]) == (0, 0)
