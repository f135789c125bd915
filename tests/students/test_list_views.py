"""The Élèves list: what it shows of each pupil, its filters, sorts, page sizes, CSV export and per-class
summary, with htmx and without, in a bounded number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import UserFactory
from campaigns.export import BOM
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from students.factories import OrganizationLearnerFactory
from students.models import GeneratedAccount, OrganizationLearner
from tests.pages import page_text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("campaigns:learners")
Certificability = OrganizationLearner.Certificability


@pytest.fixture
def member_client(client, colleague):
    client.force_login(colleague)
    return client


def learner(organization, last_name, first_name="Léa", division="2NDE1", **fields):
    return OrganizationLearnerFactory(
        organization=organization, last_name=last_name, first_name=first_name, division=division, **fields
    )


def names(response):
    return [row.last_name for row in response.context["page"].object_list]


def test_list_shows_every_column_of_a_pupil(member_client, organization):
    user = UserFactory(email="", username="lea.martin2103")
    GeneratedAccount.objects.create(user=user, password_generated_at=timezone.now())
    pupil = learner(
        organization,
        "Martin",
        birthdate=datetime.date(2009, 3, 21),
        user=user,
        certificability=Certificability.NOT_CERTIFIABLE,
        certifiable_competences_count=3,
        certificability_at=timezone.make_aware(datetime.datetime(2026, 10, 2, 3, 0)),
    )
    campaign = CampaignFactory(organization=organization, name="Collecte d'octobre")
    SharedParticipationFactory(
        campaign=campaign,
        user=user,
        learner=pupil,
        shared_at=timezone.make_aware(datetime.datetime(2026, 10, 1, 10, 0)),
    )
    text = page_text(member_client.get(LIST_URL))
    assert "<h1>Élèves (1)</h1>" in text
    for expected in (
        "Martin",
        "Léa",
        "21/03/2009",
        "2NDE1",
        "Identifiant généré",
        "01/10/2026",
        "Collecte d'octobre",
        "Non certifiable",
        "le 02/10/2026",
        "il manque 2\u00a0compétences",
    ):
        assert expected in text, expected


def test_login_methods(member_client, organization):
    learner(organization, "Aucun")
    learner(organization, "Courriel", user=UserFactory(email="eleve@example.org"))
    learner(organization, "Genere", user=UserFactory(email="", username="x.genere0101"))
    response = member_client.get(LIST_URL)
    methods = {row.last_name: row.login_method for row in response.context["page"].object_list}
    assert methods == {"Aucun": "aucun", "Courriel": "email", "Genere": "identifiant"}
    text = page_text(response)
    assert "Aucun compte" in text and "Adresse e-mail" in text and "Identifiant généré" in text
    assert names(member_client.get(LIST_URL, {"connexion": "email"})) == ["Courriel"]
    assert names(member_client.get(LIST_URL, {"connexion": "aucun"})) == ["Aucun"]


def test_disabled_pupils_are_never_listed(member_client, organization):
    learner(organization, "Present")
    learner(organization, "Parti", is_disabled=True)
    response = member_client.get(LIST_URL)
    assert names(response) == ["Present"]
    assert "<h1>Élèves (1)</h1>" in page_text(response)


def test_pupils_of_another_organization_are_not_listed(member_client, organization):
    learner(organization, "Ici")
    OrganizationLearnerFactory(last_name="Ailleurs")
    assert names(member_client.get(LIST_URL)) == ["Ici"]


def test_search_ignores_accents_case_and_dashes(member_client, organization):
    learner(organization, "Lefèvre-Roux", first_name="Éloïse")
    learner(organization, "Martin", first_name="Hugo")
    for query in ("lefevre", "LEFÈVRE ROUX", "eloise", "éloïse lefevre", "lefevre-roux"):
        assert names(member_client.get(LIST_URL, {"recherche": query})) == ["Lefèvre-Roux"], query
    assert names(member_client.get(LIST_URL, {"recherche": "zzz"})) == []


def test_search_spells_out_ligatures(member_client, organization):
    learner(organization, "Cœur", first_name="Œdipe")
    assert names(member_client.get(LIST_URL, {"recherche": "oedipe coeur"})) == ["Cœur"]


def test_classes_filter_takes_several_classes(member_client, organization):
    learner(organization, "A", division="2NDE1")
    learner(organization, "B", division="2NDE2")
    learner(organization, "C", division="TG1")
    assert names(member_client.get(LIST_URL, {"classe": ["2NDE1", "TG1"]})) == ["A", "C"]


def test_classes_filter_lists_fifty_classes_as_checkboxes_with_a_search_box(member_client, organization):
    for number in range(50):
        learner(organization, f"Eleve{number}", division=f"C{number:02d}")
    text = page_text(member_client.get(LIST_URL))
    assert text.count('type="checkbox" name="classe"') == 50
    assert 'id="class-search"' in text and "Chercher une classe" in text


def test_certificability_filter(member_client, organization):
    learner(organization, "Oui", certificability=Certificability.CERTIFIABLE)
    learner(organization, "Non", certificability=Certificability.NOT_CERTIFIABLE)
    learner(organization, "Inconnu")
    assert names(member_client.get(LIST_URL, {"certificabilite": "certifiable"})) == ["Oui"]
    assert names(member_client.get(LIST_URL, {"certificabilite": "non-certifiable"})) == ["Non"]
    assert names(member_client.get(LIST_URL, {"certificabilite": "non-communique"})) == ["Inconnu"]
    assert "Non communiqué" in page_text(member_client.get(LIST_URL))


def test_unknown_filter_values_are_ignored(member_client, organization):
    learner(organization, "A")
    response = member_client.get(
        LIST_URL, {"certificabilite": "peut-être", "connexion": "x", "tri": "pk", "taille": "7", "page": "²"}
    )
    assert response.status_code == 200 and names(response) == ["A"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("nom", ["Abel", "Émile", "Zola"]),
        ("-nom", ["Zola", "Émile", "Abel"]),
        ("classe", ["Zola", "Abel", "Émile"]),
        ("-participations", ["Émile", "Zola", "Abel"]),
        ("certificabilite", ["Abel", "Zola", "Émile"]),
    ],
)
def test_sorts(member_client, organization, ordering, expected):
    abel = learner(organization, "Abel", division="2NDE2", certificability=Certificability.CERTIFIABLE)
    emile = learner(organization, "Émile", division="TG1")
    zola = learner(organization, "Zola", division="1G1", certificability=Certificability.NOT_CERTIFIABLE)
    for campaign in CampaignFactory.create_batch(2, organization=organization):
        ParticipationFactory(campaign=campaign, learner=emile, user=UserFactory())
    ParticipationFactory(campaign__organization=organization, learner=zola, user=UserFactory())
    assert abel and names(member_client.get(LIST_URL, {"tri": ordering})) == expected


def test_page_sizes(member_client, organization):
    for number in range(30):
        learner(organization, f"Eleve{number:02d}")
    response = member_client.get(LIST_URL, {"taille": "25"})
    assert len(names(response)) == 25
    assert "Page 1 sur 2" in page_text(response)
    assert len(names(member_client.get(LIST_URL, {"taille": "25", "page": "2"}))) == 5


def test_htmx_gets_only_the_table_and_responses_vary_on_it(member_client, organization):
    learner(organization, "Martin")
    response = member_client.get(LIST_URL, {"recherche": "mar"}, headers={"HX-Request": "true"})
    text = page_text(response)
    assert text.lstrip().startswith('<div id="learners-table"')
    assert "Martin" in text and "<h1>" not in text
    assert "HX-Request" in response["Vary"]
    assert "HX-Request" in member_client.get(LIST_URL)["Vary"]


def test_filters_and_links_work_without_javascript(member_client, organization):
    learner(organization, "Martin")
    text = page_text(member_client.get(LIST_URL, {"recherche": "mar", "tri": "classe"}))
    assert 'method="get"' in text and 'action="/orga/eleves/"' in text
    assert 'href="?recherche=mar&amp;tri=-classe"' in text or 'href="?recherche=mar&tri=-classe"' in text
    assert "Effacer les filtres" in text


def test_per_class_summary(member_client, organization):
    campaign = CampaignFactory(organization=organization)
    sent = learner(organization, "A", division="2NDE1", certificability=Certificability.CERTIFIABLE)
    SharedParticipationFactory(campaign=campaign, learner=sent, user=UserFactory())
    learner(organization, "B", division="2NDE1", certificability=Certificability.NOT_CERTIFIABLE)
    learner(organization, "C", division="2NDE1")
    learner(organization, "D", division="TG1", certificability=Certificability.NOT_CERTIFIABLE)
    learner(organization, "E", division="TG1", is_disabled=True)
    summary = {row["division"]: row for row in member_client.get(LIST_URL).context["summary"]}
    assert summary["2NDE1"] == {
        "division": "2NDE1",
        "pupils": 3,
        "certifiable": 1,
        "not_certifiable": 1,
        "never_sent": 2,
    }
    assert summary["TG1"] == {
        "division": "TG1",
        "pupils": 1,
        "certifiable": 0,
        "not_certifiable": 1,
        "never_sent": 1,
    }


def test_counts_agree_in_french(member_client, organization):
    learner(organization, "Seul")
    assert "1\u00a0élève</strong>" in page_text(member_client.get(LIST_URL))
    assert "0\u00a0élève</strong>" in page_text(member_client.get(LIST_URL, {"recherche": "personne"}))


def test_list_runs_a_bounded_number_of_queries(member_client, organization, django_assert_max_num_queries):
    campaigns = CampaignFactory.create_batch(2, organization=organization)
    for number in range(110):
        user = UserFactory(email="" if number % 2 else f"e{number}@example.org")
        pupil = learner(organization, f"Eleve{number:03d}", division=f"C{number % 12}", user=user)
        SharedParticipationFactory(campaign=campaigns[number % 2], learner=pupil, user=user)
        if number % 3 == 0:
            GeneratedAccount.objects.create(user=user, password_generated_at=timezone.now())
    # Session, user, membership, the switcher's memberships; the page's count and rows; the total, the
    # classes, the per-class summary, the last import and the campaigns to relaunch.
    with django_assert_max_num_queries(11):
        response = member_client.get(LIST_URL, {"taille": "100"})
    assert len(names(response)) == 100
    with django_assert_max_num_queries(5):
        member_client.get(LIST_URL, {"taille": "100"}, headers={"HX-Request": "true"})


def test_list_is_for_members_only(client, stranger, organization):
    learner(organization, "Martin")
    assert client.get(LIST_URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(LIST_URL).status_code == 403
    client.force_login(stranger)
    assert names(client.get(LIST_URL)) == []
    assert client.post(LIST_URL).status_code == 405


# CSV export


def export(client, **params):
    response = client.get(reverse("students:export"), params)
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith(BOM)
    return response, list(csv.reader(io.StringIO(body[len(BOM) :]), delimiter=";"))


def test_export_has_a_header_and_one_row_per_listed_pupil(member_client, organization):
    learner(organization, "Martin", birthdate=datetime.date(2009, 3, 21), national_student_id="1234567890A")
    learner(organization, "Parti", is_disabled=True)
    response, rows = export(member_client)
    assert response["Content-Disposition"].startswith('attachment; filename="Eleves-Lyc')
    assert rows[0] == [
        "Nom",
        "Prénom",
        "Date de naissance",
        "Classe",
        "INE",
        "Méthode de connexion",
        "Nombre de participations",
        "Date de la dernière participation",
        "Dernière campagne",
        "Certificabilité",
        "Date de la certificabilité",
        "Nombre de compétences certifiables",
    ]
    assert rows[1] == [
        "Martin",
        "Léa",
        "21/03/2009",
        "2NDE1",
        "1234567890A",
        "Aucun compte",
        "0",
        "",
        "",
        "Non communiqué",
        "",
        "",
    ]
    assert len(rows) == 2


def test_export_follows_the_filters(member_client, organization):
    learner(organization, "Martin", division="2NDE1")
    learner(organization, "Petit", division="TG1")
    _, rows = export(member_client, classe="TG1")
    assert [row[0] for row in rows[1:]] == ["Petit"]


def test_export_neutralises_formulas_in_cells(member_client, organization):
    learner(organization, '=HYPERLINK("http://x")', first_name="+33", division="@1")
    _, rows = export(member_client)
    assert [rows[1][0], rows[1][1], rows[1][3]] == ['\'=HYPERLINK("http://x")', "'+33", "'@1"]


def test_export_headers_go_through_neutralisation(monkeypatch):
    from students import export as students_export

    monkeypatch.setattr(students_export, "HEADER", ["=Nom", *students_export.HEADER[1:]])
    rows = students_export.export_rows(OrganizationLearner.objects.none().annotate())
    assert next(iter(rows)).startswith(BOM + "'=Nom;")
