"""The cast of an assessment campaign: a bank of our own, a campaign targeted at it, a pupil who answers."""

import datetime

from django.utils import timezone

from campaigns import services
from campaigns.assessment import assessment_result
from campaigns.factories import AssessmentCampaignFactory, SharedAssessmentParticipationFactory
from evaluation import selectors as evaluation_selectors
from evaluation import services as evaluation_services
from evaluation.models import Challenge, Topic
from evaluation.selectors import CompetenceResult, TopicResult
from students.models import OrganizationLearner
from tests.evaluation.play import make_banks


def bank_topics(codes=("1.1", "2.1"), topics=2):
    """make_bank on `codes` (two topics of difficulties 1 to 3 each, every right answer the first
    proposal); returns the topics made, by competence then slug."""
    made = make_banks(list(codes), topics=topics)
    return list(
        Topic.objects.filter(skills__challenges__in=made).distinct().order_by("competence__code", "slug")
    )


def assessment(organization, teacher, topics, **kwargs):
    return AssessmentCampaignFactory(
        organization=organization, creator=teacher, target_topics=topics, **kwargs
    )


def joined(campaign, user):
    learner = OrganizationLearner.objects.get(organization=campaign.organization, user=user)
    return services.participation_start(campaign=campaign, user=user, learner=learner)


def answer_all(participation, *, right=True, stop_after=None):
    """Answer the assessment's questions through the services; returns how many were answered."""
    count = 0
    while (evaluation := services.participation_assessment_current(participation=participation)) is not None:
        if stop_after is not None and count == stop_after:
            break
        challenge = current_challenge(evaluation)
        value = challenge.solution if right else [n for n in (1, 2, 3) if n not in challenge.solution][:1]
        evaluation_services.evaluation_answer(evaluation=evaluation, challenge=challenge, value=value)
        count += 1
    return count


def current_challenge(evaluation):
    state = evaluation_selectors.evaluation_state(evaluation=evaluation)
    return Challenge.objects.get(pk=state.assessment.next_challenge)


def result(counts):
    """A frozen result: `counts` maps a competence code to (validated, total), in one topic each."""
    return assessment_result(
        [
            CompetenceResult(
                code, f"Compétence {code}", [TopicResult(f"Sujet {code}", validated, total, total)]
            )
            for code, (validated, total) in counts.items()
        ]
    )


def sent_assessment(campaign, counts, *, last_name, first_name="Léa", division="2NDE1", days_ago=0, **kwargs):
    """A pupil of the campaign's organization who sent the result `counts` (see `result`)."""
    return SharedAssessmentParticipationFactory(
        campaign=campaign,
        learner__last_name=last_name,
        learner__first_name=first_name,
        learner__division=division,
        shared_at=timezone.now() - datetime.timedelta(days=days_ago),
        assessment_result=result(counts),
        **kwargs,
    )
