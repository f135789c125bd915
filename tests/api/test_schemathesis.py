"""Property-based run of schemathesis against the API's own schema, on demo-like data: whatever it sends
(valid or not), no answer is a 500, and every answer matches the schema (status, content type, body,
headers). A teacher's token and a pupil's token each get the whole API.

Bounded: a few examples per operation and a fixed seed, so that the run takes seconds and a failure can
be replayed. Each operation is one pytest item with the demo data made afresh.
"""

import datetime

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, settings

from accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from accounts.models import ApiToken, Membership, Organization
from accounts.tokens import token_hash
from campaigns import services
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory
from tests.campaigns.sendings import sent

pytestmark = pytest.mark.django_db

CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
)


def wsgi_application():
    """Django's test handler behind a WSGI interface: requests run in the test's transaction (they see its
    data) and, as in production, each starts without any organization scope (tests/conftest.py)."""
    handler = ClientHandler(enforce_csrf_checks=True)

    def application(environ, start_response):
        response = handler(environ)
        headers = [
            *response.items(),
            *(("Set-Cookie", cookie.OutputString()) for cookie in response.cookies.values()),
        ]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return [response.content]

    return application


# Fixed ids, codes and tokens: the schemas below are loaded when pytest collects this module, before the
# data exist, and their dictionaries send these values most of the time, so that the operations reach
# past their 404.
ORGANIZATIONS = [930001, 930002]
CAMPAIGNS = [910001, 910002, 910003, 910004]
CODES = ["DEMOCA111", "DEMOCB222", "DEMOCC333", "DEMOCD444"]
PARTICIPATIONS = list(range(920001, 920010))
TEACHER_TOKEN = "pxo_schemathesis-enseignant-0000000000000000000000"
PUPIL_TOKEN = "pxo_schemathesis-eleve-000000000000000000000000000"


@pytest.fixture(autouse=True)
def demo_data():
    """A lycée as seed_demo makes it, in small: two classes, a collection with sendings (a pupil twice),
    a pupil waiting, an archived campaign, a campaign asking for an external id, another organization."""
    lycee = OrganizationFactory(id=ORGANIZATIONS[0], name="Lycée Jean Moulin", external_id="0061234A")
    teacher = MembershipFactory(organization=lycee, role=Membership.Role.ADMIN).user
    colleague = MembershipFactory(organization=lycee, role=Membership.Role.MEMBER).user
    collection = CampaignFactory(
        id=CAMPAIGNS[0], code=CODES[0], organization=lycee, creator=teacher, multiple_sendings=True
    )
    ids = iter(PARTICIPATIONS)
    for index in range(6):
        sent(
            collection,
            id=next(ids),
            last_name=f"Élève{index}",
            division=("2NDE1", "2NDE2")[index % 2],
            days_ago=index,
        )
    twice = sent(
        collection, id=next(ids), last_name="Martin", days_ago=5, is_improved=True, is_latest_sending=False
    )
    SharedParticipationFactory(
        id=next(ids),
        campaign=collection,
        user=twice.user,
        learner=twice.learner,
        sending_number=2,
        previous_pix_score=40,
    )
    ParticipationFactory(id=next(ids), campaign=collection, learner__division="2NDE1")
    archived = CampaignFactory(id=CAMPAIGNS[1], code=CODES[1], organization=lycee, creator=colleague)
    CampaignFactory(
        id=CAMPAIGNS[2],
        code=CODES[2],
        organization=lycee,
        creator=colleague,
        external_id_label="Numéro d'élève",
    )
    pupil = UserFactory(first_name="Camille", last_name="Roux")
    OrganizationLearnerFactory(
        organization=lycee,
        user=pupil,
        first_name="Camille",
        last_name="Roux",
        birthdate=datetime.date(2008, 5, 14),
    )
    competence_pix_set(user=pupil, pix_by_competence={"1.1": 16, "2.1": 8})
    services.participation_start(campaign=archived, user=pupil, learner=pupil.learners.get())
    services.campaign_archive(campaign=archived, user=colleague)
    company = OrganizationFactory(id=ORGANIZATIONS[1], type=Organization.Type.PRO)
    CampaignFactory(id=CAMPAIGNS[3], code=CODES[3], organization=company)
    for user, token in ((teacher, TEACHER_TOKEN), (pupil, PUPIL_TOKEN)):
        ApiToken.objects.create(user=user, name="schemathesis", prefix=token[:12], key_hash=token_hash(token))


def _schema(token):
    config = schemathesis.config.SchemathesisConfig.from_dict(
        {
            "seed": 20260913,
            # Valid and invalid inputs alike, 10 of each an operation: about 20 seconds for both tokens. The
            # coverage phase (every boundary of every parameter) passes too, but takes a minute more.
            "generation": {"max-examples": 10, "mode": "all", "database": "none"},
            "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": False}},
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "headers": {"Authorization": f"Bearer {token}"},
            "dictionaries": {
                "campaigns": {"values": CAMPAIGNS},
                "codes": {"values": CODES},
                "participations": {"values": PARTICIPATIONS},
                "organizations": {"values": ORGANIZATIONS},
            },
            "parameters": {
                "path.id": {"dictionary": "campaigns", "probability": 0.8},
                "path.code": {"dictionary": "codes", "probability": 0.8},
                "path.participation_pk": {"dictionary": "participations", "probability": 0.8},
                "query.organisation": {"dictionary": "organizations", "probability": 0.5},
            },
        }
    )
    return schemathesis.openapi.from_wsgi("/api/schema/", wsgi_application(), config=config)


teacher_api = _schema(TEACHER_TOKEN)
pupil_api = _schema(PUPIL_TOKEN)
HYPOTHESIS = settings(
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@teacher_api.parametrize()
@HYPOTHESIS
def test_api_as_a_teacher_never_fails_and_keeps_to_its_schema(case):
    case.call_and_validate()


@pupil_api.parametrize()
@HYPOTHESIS
def test_api_as_a_pupil_never_fails_and_keeps_to_its_schema(case):
    case.call_and_validate()
