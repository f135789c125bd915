"""The cast of an assessment campaign: a bank of our own, a campaign targeted at it, a pupil who answers."""

from campaigns import services
from campaigns.factories import AssessmentCampaignFactory
from evaluation import selectors as evaluation_selectors
from evaluation import services as evaluation_services
from evaluation.models import Challenge, Topic
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
