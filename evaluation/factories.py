import factory

from accounts.factories import UserFactory

from .models import Answer, Challenge, Evaluation, Skill, Topic
from .selectors import Competence


def _competence(code):
    """The framework's competences are installed by a migration: found by code, never created."""
    return factory.LazyFunction(lambda: Competence.objects.get(code=code))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    competence = _competence("1.1")
    slug = factory.Sequence(lambda n: f"sujet-{n}")
    name = factory.Sequence(lambda n: f"Sujet {n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ["topic", "difficulty"]

    topic = factory.SubFactory(TopicFactory)
    difficulty = 1


class ChallengeFactory(factory.django.DjangoModelFactory):
    """A single-choice challenge whose right answer is the first proposal."""

    class Meta:
        model = Challenge

    skill = factory.SubFactory(SkillFactory)
    ref = factory.Sequence(lambda n: f"epreuve-{n}")
    kind = Challenge.Kind.SINGLE
    statement = factory.Sequence(lambda n: f"Énoncé de l’épreuve {n}")
    proposals = factory.LazyFunction(lambda: ["La bonne", "Une autre", "La dernière"])
    solution = factory.LazyFunction(lambda: [1])
    accepted = factory.LazyFunction(list)
    explanation = "Parce que c’est la bonne proposition."
    learn_more = "Cherchez « bonne proposition »."


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evaluation

    user = factory.SubFactory(UserFactory)
    competence = _competence("1.1")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    evaluation = factory.SubFactory(EvaluationFactory)
    challenge = factory.SubFactory(ChallengeFactory)
    value = "1"
    result = Answer.Result.OK
