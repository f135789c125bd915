import factory
from django.utils import timezone

from .models import Invitation, Membership, Organization, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("motdepasse-de-test")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Lycée numéro {n}")
    type = Organization.Type.SCO
    external_id = factory.Sequence(lambda n: f"{n:07d}A")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation whose e-mail has left; `status=Invitation.Status.FAILED` for one that did not."""

    class Meta:
        model = Invitation

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invite{n}@example.org")
    role = Membership.Role.MEMBER
    key = factory.Faker("pystr", min_chars=22, max_chars=22)
    sent_at = factory.LazyFunction(timezone.now)
    send_count = 1
