"""No personal data in the logs: a whole pupil sending flow and a teacher's results and export, logged at
DEBUG level and formatted as production writes them, name no pupil, birth date or e-mail."""

import datetime
import logging

import pytest
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from accounts.factories import UserFactory
from campaigns.models import Participation
from pixorga.logs import RequestIdFilter
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory

pytestmark = pytest.mark.django_db
PASSWORD = "motdepasse-de-test"
LOGGERS = ["", "django", "django.request", "axes", "celery", "pixorga", "accounts", "campaigns", "students"]
PERSONAL = [
    "Éloïse",
    "Eloise",
    "eloise",
    "Lefèvre",
    "Lefevre",
    "lefevre",
    "2008-05-14",
    "14/05/2008",
    "14052008",
    "eloise.lefevre@example.org",
    "eloise.lefevre1405",
]


@pytest.fixture
def captured(caplog):
    """Every record of the flow, formatted by the production JSON formatter with its request id."""
    for name in LOGGERS:
        caplog.set_level(logging.DEBUG, logger=name)
    caplog.handler.addFilter(RequestIdFilter())
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s")

    def lines():
        return [formatter.format(record) for record in caplog.records]

    return lines


def test_a_whole_sending_flow_and_the_teachers_view_log_no_personal_data(
    client, organization, teacher, campaign, captured
):
    pupil = UserFactory(
        username="eloise.lefevre1405",
        first_name="Éloïse",
        last_name="Lefèvre-Roux",
        email="eloise.lefevre@example.org",
    )
    competence_pix_set(user=pupil, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 12))
    OrganizationLearnerFactory(
        organization=organization,
        user=None,
        first_name="Éloïse",
        last_name="Lefèvre-Roux",
        birthdate=datetime.date(2008, 5, 14),
        division="2NDE1",
    )

    client.post(reverse("login"), {"username": "eloise.lefevre1405", "password": "faux"})
    assert client.post(reverse("login"), {"username": "Eloise.Lefevre@example.org", "password": PASSWORD})[
        "Location"
    ] == reverse("pupil:home")
    client.get(reverse("pupil:code"), {"code": "lefevr999"})
    client.get(reverse("pupil:code"), {"code": campaign.code.lower()})
    client.get(campaign.get_join_url())
    client.post(campaign.get_join_url())
    reconcile = reverse("pupil:reconcile", args=[campaign.code])
    client.post(reconcile, {"first_name": "Eloise", "last_name": "Lefevre", "birthdate": "13/05/2008"})
    assert (
        client.post(
            reconcile, {"first_name": "Éloïse", "last_name": "Lefèvre-Roux", "birthdate": "14/05/2008"}
        ).status_code
        == 302
    )
    participation = Participation.objects.get(user=pupil)
    client.post(reverse("pupil:send", args=[campaign.code]), {"participation": participation.pk})
    assert client.get(reverse("pupil:thanks", args=[campaign.code])).status_code == 200
    client.post(reverse("logout"))

    client.post(reverse("login"), {"username": teacher.username, "password": PASSWORD})
    client.get(reverse("campaigns:results", args=[campaign.pk]), {"recherche": "Lefèvre"})
    client.get(reverse("campaigns:participant", args=[campaign.pk, participation.pk]))
    export = client.get(reverse("campaigns:export", args=[campaign.pk]), {"recherche": "Lefevre"})
    assert "Lefèvre-Roux" in b"".join(export.streaming_content).decode()
    client.get("/orga/campagnes/99999/participants/1/")

    lines = captured()
    requests = [line for line in lines if '"pixorga.requests"' in line]
    assert len(requests) >= 15, "every request of the flow is logged, so the check below reads something"
    assert any('"axes' in line for line in lines), "the login lockout's own records are checked too"
    assert all('"request_id": "-"' not in line for line in requests)
    leaks = [(word, line) for line in lines for word in PERSONAL if word in line]
    assert leaks == []
