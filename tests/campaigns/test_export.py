"""The CSV export as Pix writes it (pix-domain.md, « CSV export of a collection campaign »)."""

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

# The header Pix writes for a collection campaign with an external id, in a school that imports its
# pupils, read from the spec: 6 identity columns, Classe, the external id's label, 5 result columns, then
# level and pix for each of the 16 competences, with the typographic apostrophe of Pix's names. pixorga
# adds one column after Pix's last: the learner's stable identifier.
COMPETENCE_NAMES = [
    "Mener une recherche et une veille d’information",
    "Gérer des données",
    "Traiter des données",
    "Interagir",
    "Partager et publier",
    "Collaborer",
    "S’insérer dans le monde numérique",
    "Développer des documents textuels",
    "Développer des documents multimédia",
    "Adapter les documents à leur finalité",
    "Programmer",
    "Sécuriser l’environnement numérique",
    "Protéger les données personnelles et la vie privée",
    "Protéger la santé, le bien-être et l’environnement",
    "Résoudre des problèmes techniques",
    "Construire un environnement numérique",
]
EXPECTED_HEADER = (
    "\ufeffNom de l'organisation;ID Campagne;Code;Nom de la campagne;Nom du Participant;"
    "Prénom du Participant;Classe;Numéro d'élève;Envoi (O/N);Date et heure de l'envoi (Europe/Paris);"
    "Nombre de pix total;Certifiable (O/N);Nombre de compétences certifiables;"
    + ";".join(
        f"Niveau pour la compétence {name};Nombre de pix pour la compétence {name}"
        for name in COMPETENCE_NAMES
    )
    + ";Identifiant pixorga de l'élève"
    + "\r\n"
).encode()


def _body(client, campaign, **params):
    response = client.get(reverse("campaigns:export", args=[campaign.pk]), params)
    assert response.status_code == 200
    assert response.streaming
    return response, b"".join(response.streaming_content)


def _export(client, campaign, **params):
    response, body = _body(client, campaign, **params)
    text = body.decode("utf-8")
    assert text.startswith(BOM)
    return response, list(csv.reader(io.StringIO(text[len(BOM) :]), delimiter=";"))


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


def test_framework_names_are_the_ones_pix_writes():
    assert [competence.name for competence in COMPETENCES] == COMPETENCE_NAMES


def test_header_is_byte_for_byte_pix_header_with_external_id_in_a_school(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, external_id_label="Numéro d'élève")
    client.force_login(teacher)
    _, body = _body(client, campaign)
    assert body == EXPECTED_HEADER


def test_filename_has_the_date_and_time_and_any_campaign_name(campaign):
    moment = timezone.make_aware(datetime.datetime(2021, 9, 27, 14, 5))
    name = export_filename(campaign, now=moment)
    assert name == f"Resultats-Collecte des profils au 23.09.21-{campaign.pk}-2021-09-27-1405.csv"


def test_filename_header_is_correct_for_a_name_with_accents_and_ligatures(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, name="Cœur de 2nde / “test”")
    client.force_login(teacher)
    response, _ = _body(client, campaign)
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''Resultats-C%C5%93ur%20de%202nde%20-%20")
    assert f"-{campaign.pk}-" in disposition and disposition.endswith(".csv")


def test_one_row_per_sending_in_pix_order_with_oui_non_and_na(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = sent(
        campaign, last_name="Martin", pix={"1.1": 8}, days_ago=5, is_improved=True, is_latest_sending=False
    )
    second = SharedParticipationFactory(
        campaign=campaign,
        user=first.user,
        learner=first.learner,
        shared_at=timezone.now() - datetime.timedelta(days=2),
        snapshot__pix={"1.1": 16},
        is_improved=True,
        is_latest_sending=False,
        sending_number=2,
    )
    third = SharedParticipationFactory(
        campaign=campaign,
        user=first.user,
        learner=first.learner,
        snapshot__pix=dict.fromkeys([c.code for c in COMPETENCES[:5]], 60),
        sending_number=3,
    )
    ParticipationFactory(campaign=campaign, learner__last_name="Zola", learner__first_name="Émile")
    sent(campaign, last_name="Abel", pix={})
    client.force_login(teacher)

    _, (header, *rows) = _export(client, campaign)

    assert [row[4] for row in rows] == ["Abel", "Martin", "Martin", "Martin", "Zola"]
    martin = rows[1:4]
    assert [row[9] for row in martin] == ["280", "16", "8"]
    when = timezone.localtime(third.shared_at)
    assert martin[0][7:12] == ["Oui", f"{when:%d/%m/%Y %H:%M}", "280", "Oui", "5"]
    assert martin[0][12:14] == ["7", "56"]
    assert martin[1][7:12] == [
        "Oui",
        f"{timezone.localtime(second.shared_at):%d/%m/%Y %H:%M}",
        "16",
        "Non",
        "1",
    ]
    zola = rows[4]
    assert zola[7] == "Non"
    assert zola[8:-1] == ["NA"] * (4 + 32)
    assert rows[0][7:12] == ["Oui", rows[0][8], "0", "Non", "0"]
    assert len(header) == len(rows[0]) == len(zola) == 12 + 32 + 1


def test_deleted_participations_leave_the_export(client, teacher, campaign):
    kept = sent(campaign, last_name="Martin")
    sent(campaign, last_name="Supprimé", deleted_at=timezone.now())
    client.force_login(teacher)
    _, (_, *rows) = _export(client, campaign)
    assert [row[4] for row in rows] == [kept.learner.last_name]


def test_class_column_only_for_a_school(client):
    organization = OrganizationFactory(type=Organization.Type.PRO)
    campaign = CampaignFactory(organization=organization)
    organization.memberships.create(user=campaign.creator)
    sent(campaign, last_name="Martin")
    client.force_login(campaign.creator)
    _, (header, row) = _export(client, campaign)
    assert "Classe" not in header
    assert header[4:7] == ["Nom du Participant", "Prénom du Participant", "Envoi (O/N)"]
    assert row[6] == "Oui"


def test_export_neutralises_formulas_in_cells_and_headers(client, teacher, organization):
    campaign = CampaignFactory(
        organization=organization, creator=teacher, name="=cmd|' /C calc'!A0", external_id_label="=1+1 label"
    )
    sent(campaign, last_name="@SUM(1+1)", first_name="+Léa", division="-2NDE", participant_external_id="=1+1")
    client.force_login(teacher)
    _, (header, row) = _export(client, campaign)
    assert header[7] == "'=1+1 label"
    assert row[3] == "'=cmd|' /C calc'!A0"
    assert row[4:8] == ["'@SUM(1+1)", "'+Léa", "'-2NDE", "'=1+1"]


def test_filtered_export_keeps_the_filtered_latest_sendings(client, teacher, campaign):
    sent(campaign, last_name="Certifiable")
    sent(campaign, last_name="Pascertifiable", pix={"1.1": 8})
    ParticipationFactory(campaign=campaign)
    client.force_login(teacher)
    _, filtered = _export(client, campaign, certifiable="non", perimetre="filtres")
    _, everything = _export(client, campaign, certifiable="non")
    assert [row[4] for row in filtered[1:]] == ["Pascertifiable"]
    assert len(everything) == 4


def test_results_tab_offers_the_filtered_and_the_whole_export(client, teacher, campaign):
    sent(campaign, last_name="Martin", pix={"1.1": 8})
    client.force_login(teacher)
    response = client.get(reverse("campaigns:results", args=[campaign.pk]), {"certifiable": "non"})
    content = response.content.decode()
    assert "Exporter les 1 participant filtré (.csv)" in content
    assert "certifiable=non&amp;perimetre=filtres" in content
    assert "Exporter tous les envois (.csv)" in content


def test_export_streams_with_a_bounded_number_of_queries(
    client, teacher, campaign, django_assert_max_num_queries
):
    for index in range(120):
        sent(campaign, last_name=f"Nom{index:03d}")
    client.force_login(teacher)
    # session, user, membership, campaign, the export log's insert, the rows in chunks of 2,000 (one
    # query here), the export log's final count
    with django_assert_max_num_queries(7):
        _, rows = _export(client, campaign)
    assert len(rows) == 121


def test_each_export_is_logged_with_its_rows(client, teacher, campaign):
    from campaigns.models import ExportLog

    sent(campaign, last_name="Martin")
    ParticipationFactory(campaign=campaign)
    client.force_login(teacher)
    _export(client, campaign)
    _export(client, campaign, perimetre="filtres", certifiable="oui")
    logs = list(ExportLog.objects.order_by("pk").values_list("scope", "rows", "completed", "user"))
    assert logs == [("ALL", 2, True, teacher.pk), ("FILTERED", 1, True, teacher.pk)]


def test_export_log_page_is_for_the_organization_admins(client, teacher, colleague, campaign):
    sent(campaign, last_name="Martin")
    client.force_login(teacher)
    _export(client, campaign)
    page = client.get(reverse("campaigns:export_log"))
    assert page.status_code == 200 and campaign.name in page.content.decode()
    client.force_login(colleague)
    assert client.get(reverse("campaigns:export_log")).status_code == 403


def test_last_column_is_the_learners_stable_identifier_on_every_row(client, teacher, organization):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = sent(campaign, last_name="Martin", days_ago=3, is_improved=True, is_latest_sending=False)
    SharedParticipationFactory(campaign=campaign, user=first.user, learner=first.learner, sending_number=2)
    waiting = ParticipationFactory(campaign=campaign, learner__last_name="Zola")
    client.force_login(teacher)

    _, (header, *rows) = _export(client, campaign)

    assert header[-1] == "Identifiant pixorga de l'élève"
    assert [(row[4], row[-1]) for row in rows] == [
        ("Martin", str(first.learner_id)),
        ("Martin", str(first.learner_id)),
        ("Zola", str(waiting.learner_id)),
    ]
