import factory
from django.utils import timezone

from accounts.factories import UserFactory

from .framework import AREAS, COMPETENCE_CODES, COMPETENCES
from .models import Area, Competence, CompetencePix, ProfileSnapshot
from .services import snapshot_create

FRAMEWORK = {competence.code: competence for competence in COMPETENCES}


class AreaFactory(factory.django.DjangoModelFactory):
    """The framework's areas are installed by a migration: the factory finds them by code."""

    class Meta:
        model = Area
        django_get_or_create = ["code"]

    code = "1"
    title = factory.LazyAttribute(lambda area: next(a.title for a in AREAS if a.code == area.code))


class CompetenceFactory(factory.django.DjangoModelFactory):
    """The framework's competences are installed by a migration: the factory finds them by code."""

    class Meta:
        model = Competence
        django_get_or_create = ["code"]

    code = "1.1"
    name = factory.LazyAttribute(lambda competence: FRAMEWORK[competence.code].name)
    area = factory.SubFactory(
        AreaFactory, code=factory.LazyAttribute(lambda area: area.factory_parent.code[0])
    )


class CompetencePixFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetencePix

    user = factory.SubFactory(UserFactory)
    competence = factory.SubFactory(CompetenceFactory)
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
