import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import OrganizationFactory
from accounts.models import Organization
from campaigns.export import BOM, export_filename, neutralize_formula
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from profiles.framework import COMPETENCES
from tests.campaigns.sendings import sent

pytestmark = pytest.mark.django_db


def _export(client, campaign, **params):
    response = client.get(reverse("campaigns:export", args=[campaign.pk]), params)
    assert response.status_code == 200
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return response, list(csv.reader(io.StringIO(body[len(BOM) :]), delimiter=";"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 6", "'+33 6"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Martin", "Martin"),
        ("Jean-Pierre", "Jean-Pierre"),
        (12, 12),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralize_formula(value) == expected


def test_filename_names_the_campaign_and_the_day(campaign):
    name = export_filename(campaign, today=datetime.date(2021, 9, 27))
    assert name == f"Resultats-Collecte-des-profils-au-23-09-21-{campaign.pk}-2021-09-27.csv"


def test_export_has_pix_columns_and_one_row_per_participant(client, teacher, campaign, organization):
    martin_sending = sent(
        campaign, last_name="Martin", pix={"1.1": 12, "5.2": 60, "2.1": 8, "2.2": 8, "3.1": 8}
    )
    ParticipationFactory(campaign=campaign, learner__last_name="Zola", learner__division="1G1")
    client.force_login(teacher)

    response, rows = _export(client, campaign)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="Resultats-Collecte-des-profils' in response["Content-Disposition"]
    header, martin, zola = rows
    assert header[:14] == [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Classe",
        "Envoi (O/N)",
        "Date de l'envoi",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
        f"Niveau pour la compétence {COMPETENCES[0].name}",
        f"Nombre de pix pour la compétence {COMPETENCES[0].name}",
    ]
    assert len(header) == 12 + 2 * 16
    assert martin[:12] == [
        organization.name,
        str(campaign.pk),
        campaign.code,
        campaign.name,
        "Martin",
        "Léa",
        "2NDE1",
        "O",
        f"{timezone.localtime(martin_sending.shared_at):%d/%m/%Y}",
        "92",
        "O",
        "5",
    ]
    assert martin[12:14] == ["1", "12"]
    assert martin[-2:] == ["7", "56"]
    assert zola[4] == "Zola" and zola[7:12] == ["N", "", "", "", ""]
    assert zola[12:] == ["NA"] * 32


def test_export_adds_external_id_column_when_the_campaign_has_one(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, external_id_label="Numéro d'élève")
    sent(campaign, last_name="Martin", participant_external_id="=1+1")
    client.force_login(teacher)
    _, (header, row) = _export(client, campaign)
    assert header[7] == "Numéro d'élève"
    assert row[7] == "'=1+1"


def test_export_neutralises_formulas_typed_by_pupils_and_teachers(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, name="=cmd|' /C calc'!A0")
    sent(campaign, last_name="@SUM(1+1)", first_name="+Léa", division="-2NDE")
    client.force_login(teacher)
    _, (_, row) = _export(client, campaign)
    assert row[3] == "'=cmd|' /C calc'!A0"
    assert row[4:7] == ["'@SUM(1+1)", "'+Léa", "'-2NDE"]


def test_export_for_higher_education_has_group_and_student_number(client, teacher):
    organization = OrganizationFactory(type=Organization.Type.SUP)
    campaign = CampaignFactory(organization=organization)
    sent(campaign, last_name="Martin")
    client.force_login(campaign.creator)
    organization.memberships.create(user=campaign.creator)
    _, (header, _row) = _export(client, campaign)
    assert header[6:8] == ["Groupe", "Numéro Étudiant"]


def test_export_keeps_only_the_latest_sending(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = sent(campaign, last_name="Martin", pix={"1.1": 8}, is_improved=True)
    SharedParticipationFactory(
        campaign=campaign, user=first.user, learner=first.learner, snapshot__pix={"1.1": 16}
    )
    client.force_login(teacher)
    _, (_, row) = _export(client, campaign)
    assert row[9] == "16"


def test_filtered_export_keeps_the_filtered_participants(client, teacher, campaign):
    sent(campaign, last_name="Certifiable")
    sent(campaign, last_name="Pascertifiable", pix={"1.1": 8})
    client.force_login(teacher)
    _, filtered = _export(client, campaign, certifiable="non", perimetre="filtres")
    _, everything = _export(client, campaign, certifiable="non")
    assert [row[4] for row in filtered[1:]] == ["Pascertifiable"]
    assert len(everything) == 3


def test_results_tab_offers_the_filtered_or_the_whole_export(client, teacher, campaign):
    sent(campaign, last_name="Martin", pix={"1.1": 8})
    client.force_login(teacher)
    response = client.get(reverse("campaigns:results", args=[campaign.pk]), {"certifiable": "non"})
    content = response.content.decode()
    assert "Exporter les 1 participant filtré (.csv)" in content
    assert "certifiable=non&perimetre=filtres" in content
    assert "Exporter tous les participants (.csv)" in content


def test_export_streams_with_a_bounded_number_of_queries(
    client, teacher, campaign, django_assert_max_num_queries
):
    for index in range(120):
        sent(campaign, last_name=f"Nom{index:03d}")
    client.force_login(teacher)
    # session, user, membership, campaign, then the rows in chunks of 2,000 (one query here)
    with django_assert_max_num_queries(5):
        _, rows = _export(client, campaign)
    assert len(rows) == 121
