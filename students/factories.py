import datetime

import factory

from accounts.factories import OrganizationFactory

from .models import OrganizationLearner


class OrganizationLearnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizationLearner

    organization = factory.SubFactory(OrganizationFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    birthdate = factory.Sequence(lambda n: datetime.date(2008, 1, 1) + datetime.timedelta(days=n))
    division = "2NDE1"
    national_student_id = factory.Sequence(lambda n: f"{n:010d}AB")
