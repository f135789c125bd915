import factory
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from profiles.factories import ProfileSnapshotFactory
from students.factories import OrganizationLearnerFactory

from .codes import generate_code
from .models import Campaign, Participation
from .services import campaign_counters_rebuild


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Collecte des profils n°{n}")
    code = factory.LazyFunction(generate_code)
    creator = factory.SubFactory(UserFactory)
    owner = factory.SelfAttribute("creator")
    external_id_label = ""
    external_id_type = factory.LazyAttribute(
        lambda campaign: Campaign.ExternalIdType.STRING if campaign.external_id_label else ""
    )


class AssessmentCampaignFactory(CampaignFactory):
    """An assessment; pass `target_topics=[…]` for its target profile."""

    type = Campaign.Type.ASSESSMENT
    name = factory.Sequence(lambda n: f"Évaluation n°{n}")

    @factory.post_generation
    def target_topics(campaign, create, extracted, **kwargs):
        if create and extracted:
            campaign.target_topics.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participation waiting to be sent; see SharedParticipationFactory for a sent one.

    Factories write rows directly, as a bulk import would: the campaign's counters are then recounted so
    that pages show what the rows say.
    """

    class Meta:
        model = Participation
        skip_postgeneration_save = True

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    learner = factory.SubFactory(
        OrganizationLearnerFactory,
        organization=factory.SelfAttribute("..campaign.organization"),
        user=factory.SelfAttribute("..user"),
        first_name=factory.SelfAttribute("..user.first_name"),
        last_name=factory.SelfAttribute("..user.last_name"),
    )
    status = Participation.Status.TO_SHARE

    @factory.post_generation
    def recount(participation, create, extracted, **kwargs):
        if create:
            campaign_counters_rebuild(campaign=participation.campaign)


class SharedParticipationFactory(ParticipationFactory):
    """A sending, the pupil's latest unless `is_latest_sending=False` (then pass `is_improved=True` too)."""

    status = Participation.Status.SHARED
    shared_at = factory.LazyFunction(timezone.now)
    snapshot = factory.SubFactory(
        ProfileSnapshotFactory,
        user=factory.SelfAttribute("..user"),
        taken_at=factory.SelfAttribute("..shared_at"),
    )
    pix_score = factory.SelfAttribute("snapshot.pix_score")
    is_certifiable = factory.SelfAttribute("snapshot.is_certifiable")
    certifiable_competences_count = factory.SelfAttribute("snapshot.certifiable_competences_count")
    sending_number = 1
    is_latest_sending = True


class SharedAssessmentParticipationFactory(ParticipationFactory):
    """An assessment's sending; pass its `assessment_result` (campaigns.assessment.assessment_result)."""

    status = Participation.Status.SHARED
    shared_at = factory.LazyFunction(timezone.now)
    assessment_result = factory.LazyFunction(
        lambda: {"competences": {}, "validated": 0, "tested": 0, "total": 0, "mastery": 0}
    )
    mastery_rate = factory.LazyAttribute(lambda participation: participation.assessment_result["mastery"])
    sending_number = 1
    is_latest_sending = True
