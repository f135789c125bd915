import factory
from django.utils import timezone

from accounts.factories import UserFactory

from .framework import COMPETENCE_CODES
from .models import Competence, CompetencePix, ProfileSnapshot
from .services import snapshot_create


class CompetencePixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencePix

    user = factory.SubFactory(UserFactory)
    competence = factory.LazyFunction(lambda: Competence.objects.get(code="1.1"))
    pix = 8


class ProfileSnapshotFactory(factory.django.DjangoModelFactory):
    """A frozen profile of `pix` (competence code -> pix), scored as a real sending would be."""

    class Meta:
        model = ProfileSnapshot

    user = factory.SubFactory(UserFactory)
    taken_at = factory.LazyFunction(timezone.now)
    pix = factory.LazyFunction(lambda: dict.fromkeys(COMPETENCE_CODES[:5], 8))

    @classmethod
    def _create(cls, model_class, *, user, taken_at, pix):
        return snapshot_create(user=user, pix_by_competence=pix, taken_at=taken_at)
