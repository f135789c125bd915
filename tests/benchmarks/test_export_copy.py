"""The benchmark measures the CSV export against PostgreSQL's COPY of the same cells: that yardstick is
only fair while it writes exactly what the export writes."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organization
from benchmarks.export_copy import copy_export, same_cells
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Campaign, Participation
from profiles.models import ProfileSnapshot
from tests.campaigns.sendings import sent

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's"),
]


def _http_export(client, campaign):
    response = client.get(reverse("campaigns:export", args=[campaign.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _varied_campaign(organization, teacher):
    campaign = CampaignFactory(
        organization=organization,
        creator=teacher,
        name="=Collecte; « 2NDE »",
        external_id_label="Numéro d'élève",
        external_id_type=Campaign.ExternalIdType.STRING,
        multiple_sendings=True,
    )
    sent(
        campaign,
        last_name="Martin",
        first_name="Léa",
        pix={"1.1": 12, "5.2": 60},
        participant_external_id="-42",
    )
    sent(campaign, last_name="+Zola", first_name="Émile", division="", participant_external_id="E1")
    late = sent(campaign, last_name="Dupont", first_name="Jean-Pierre", participant_external_id="")
    # Sent at 23:30 UTC: already the next day in Paris, where the export dates it.
    late_evening = timezone.make_aware(datetime.datetime(2024, 3, 1, 23, 30), datetime.UTC)
    Participation.objects.filter(pk=late.pk).update(shared_at=late_evening)
    ParticipationFactory(campaign=campaign, learner__last_name="Abel", learner__division="1G1")
    # Two sendings of one pupil, then he came back: history, latest sending and pending row.
    first = sent(campaign, last_name="Roux", first_name="Noé", pix={"2.1": 20}, days_ago=3)
    Participation.objects.filter(pk=first.pk).update(is_improved=True, is_latest_sending=False)
    second = sent(
        campaign, last_name="Roux", user=first.user, learner=first.learner, sending_number=2, days_ago=1
    )
    Participation.objects.filter(pk=second.pk).update(is_improved=True)
    ParticipationFactory(campaign=campaign, user=first.user, learner=first.learner)
    removed = sent(campaign, last_name="Retiré")
    Participation.objects.filter(pk=removed.pk).update(deleted_at=timezone.now())
    # A snapshot frozen before a competence was added to the framework: the export writes 0 for it.
    partial = ProfileSnapshot.objects.create(
        user=ParticipationFactory(campaign=campaign, learner__last_name="Partiel").user,
        taken_at=timezone.now(),
        max_reachable_level=7,
        competences={"1.1": {"pix": 9, "level": 1}},
        pix_score=9,
        certifiable_competences_count=1,
        is_certifiable=False,
    )
    Participation.objects.filter(campaign=campaign, user=partial.user).update(
        status=Participation.Status.SHARED,
        shared_at=partial.taken_at,
        snapshot=partial,
        pix_score=9,
        is_certifiable=False,
        certifiable_competences_count=1,
        sending_number=1,
        is_latest_sending=True,
    )
    return campaign


def test_copy_writes_the_cells_of_the_export(client, teacher, organization):
    campaign = _varied_campaign(organization, teacher)
    client.force_login(teacher)

    exported = _http_export(client, campaign)
    copied = copy_export(campaign)

    assert same_cells(exported, copied) == ""
    assert exported.count(b"\n") - 1 == copied.count(b"\n") == 8
    assert "'=Collecte; « 2NDE »" in copied.decode()
    assert "02/03/2024 00:30" in copied.decode()
    assert "Retiré" not in copied.decode()


def test_copy_leaves_out_the_class_outside_schools(client, teacher, organization):
    Organization.objects.filter(pk=organization.pk).update(type=Organization.Type.SUP)
    organization.refresh_from_db()
    campaign = CampaignFactory(organization=organization, creator=teacher)
    sent(campaign, last_name="Martin", division="L1")
    client.force_login(teacher)

    copied = copy_export(campaign)

    assert same_cells(_http_export(client, campaign), copied) == ""
    assert b"L1" not in copied


def test_a_difference_is_named_with_its_row():
    export = "\ufeffheader\r\nMartin;O\r\nZola;N\r\n".encode()

    assert same_cells(export, b"Martin;O\nZola;O\n") == (
        "row 2 differs from column 2: export ['N'] (2 columns), COPY ['O'] (2 columns)"
    )
    assert same_cells(export, b"Martin;O\n") == "the export has 2 rows, the COPY 1"
