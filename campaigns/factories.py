import factory
from django.utils import timezone

from accounts.factories import OrganizationFactory, UserFactory
from profiles.factories import ProfileSnapshotFactory
from students.factories import OrganizationLearnerFactory

from .codes import generate_code
from .models import Campaign, Participation


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Collecte des profils n°{n}")
    code = factory.LazyFunction(generate_code)
    creator = factory.SubFactory(UserFactory)
    owner = factory.SelfAttribute("creator")


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participation waiting to be sent; see SharedParticipationFactory for a sent one."""

    class Meta:
        model = Participation

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


class SharedParticipationFactory(ParticipationFactory):
    status = Participation.Status.SHARED
    shared_at = factory.LazyFunction(timezone.now)
    snapshot = factory.SubFactory(
        ProfileSnapshotFactory,
        user=factory.SelfAttribute("..user"),
        taken_at=factory.SelfAttribute("..shared_at"),
    )
