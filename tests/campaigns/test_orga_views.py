"""The teacher console, view by view: the healthchecks checklist (owner, team member, another
organization, lower role, wrong method), then what each page shows."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory
from campaigns.factories import CampaignFactory, ParticipationFactory, SharedParticipationFactory
from campaigns.models import Campaign
from profiles.framework import COMPETENCE_CODES
from students.factories import OrganizationLearnerFactory
from tests.campaigns.sendings import sent
from tests.pages import page_text

pytestmark = pytest.mark.django_db

CAMPAIGN_PAGES = [
    "campaigns:detail",
    "campaigns:results",
    "campaigns:settings",
    "campaigns:export",
    "campaigns:handout",
    "campaigns:update",
]


@pytest.fixture
def member_client(client, teacher):
    client.force_login(teacher)
    return client


@pytest.mark.parametrize("name", CAMPAIGN_PAGES)
def test_campaign_page_works_for_the_owner(client, campaign, teacher, name):
    client.force_login(teacher)
    assert client.get(reverse(name, args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("name", [n for n in CAMPAIGN_PAGES if n != "campaigns:update"])
def test_campaign_page_works_for_a_team_member(client, campaign, colleague, name):
    client.force_login(colleague)
    assert client.get(reverse(name, args=[campaign.pk])).status_code == 200


@pytest.mark.parametrize("name", [*CAMPAIGN_PAGES, "campaigns:archive", "campaigns:unarchive"])
def test_campaign_page_is_404_for_another_organization(client, campaign, stranger, name):
    client.force_login(stranger)
    method = client.post if name.endswith("archive") else client.get
    assert method(reverse(name, args=[campaign.pk])).status_code == 404


def test_participant_page_is_404_for_another_organization(client, campaign, stranger):
    participation = sent(campaign, last_name="Martin")
    client.force_login(stranger)
    response = client.get(reverse("campaigns:participant", args=[campaign.pk, participation.pk]))
    assert response.status_code == 404


def test_participant_of_another_campaign_is_404(member_client, campaign, organization):
    other = CampaignFactory(organization=organization)
    participation = sent(other, last_name="Martin")
    response = member_client.get(reverse("campaigns:participant", args=[campaign.pk, participation.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["campaigns:update", "campaigns:archive", "campaigns:unarchive"])
def test_member_who_does_not_own_the_campaign_cannot_change_it(client, campaign, colleague, name):
    client.force_login(colleague)
    assert client.post(reverse(name, args=[campaign.pk]), {"name": "Renommée"}).status_code == 403
    campaign.refresh_from_db()
    assert campaign.name != "Renommée" and not campaign.is_archived


def test_admin_who_does_not_own_the_campaign_can_archive_it(client, organization, colleague, teacher):
    campaign = CampaignFactory(organization=organization, creator=colleague)
    client.force_login(teacher)
    client.post(reverse("campaigns:archive", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.is_archived


@pytest.mark.parametrize("name", ["campaigns:archive", "campaigns:unarchive"])
def test_archive_refuses_get(member_client, campaign, name):
    assert member_client.get(reverse(name, args=[campaign.pk])).status_code == 405


@pytest.mark.parametrize("name", ["campaigns:results", "campaigns:export", "campaigns:participant"])
def test_read_only_pages_refuse_post(member_client, campaign, name):
    participation = sent(campaign, last_name="Martin")
    args = [campaign.pk, participation.pk] if name == "campaigns:participant" else [campaign.pk]
    assert member_client.post(reverse(name, args=args)).status_code == 405


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    response = client.get(reverse("campaigns:results", args=[campaign.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_user_without_organization_gets_403_with_a_french_message(client, pupil):
    client.force_login(pupil)
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 403
    assert "membre d'aucune organisation" in page_text(response)


# The campaign list


def test_campaign_list_shows_active_campaigns_newest_first_with_counts(member_client, organization, teacher):
    older = CampaignFactory(organization=organization, creator=teacher, name="Collecte de septembre")
    Campaign.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    newer = CampaignFactory(organization=organization, creator=teacher, name="Collecte de novembre")
    sent(newer, last_name="Martin")
    ParticipationFactory(campaign=newer)
    CampaignFactory(organization=organization, name="Vieille collecte", archived_at=timezone.now())
    CampaignFactory(name="Collecte d'un autre lycée")

    response = member_client.get(reverse("campaigns:list"))

    page = list(response.context["page"].object_list)
    assert page == [newer, older]
    assert (page[0].participants_count, page[0].shared_count) == (2, 1)
    assert response.context["counts"] == {"active": 2, "archived": 1}
    content = page_text(response)
    assert newer.code in content and "Vieille collecte" not in content and "autre lycée" not in content


def test_archived_tab_lists_archived_campaigns(member_client, organization):
    CampaignFactory(organization=organization, name="Vieille collecte", archived_at=timezone.now())
    response = member_client.get(reverse("campaigns:list"), {"onglet": "archivees"})
    assert [c.name for c in response.context["page"].object_list] == ["Vieille collecte"]


def test_campaign_list_searches_by_name_and_by_creator(member_client, organization, teacher, colleague):
    CampaignFactory(organization=organization, creator=teacher, name="Collecte 2nde")
    CampaignFactory(organization=organization, creator=colleague, name="Collecte Terminale")
    by_name = member_client.get(reverse("campaigns:list"), {"nom": "termin"})
    by_creator = member_client.get(reverse("campaigns:list"), {"createur": teacher.last_name.lower()})
    assert [c.name for c in by_name.context["page"].object_list] == ["Collecte Terminale"]
    assert [c.name for c in by_creator.context["page"].object_list] == ["Collecte 2nde"]


def test_campaign_list_htmx_request_gets_only_the_table(member_client, organization):
    CampaignFactory(organization=organization, name="Collecte 2nde")
    response = member_client.get(reverse("campaigns:list"), {"nom": "2nde"}, headers={"HX-Request": "true"})
    content = page_text(response)
    assert content.lstrip().startswith('<div id="campaign-table"')
    assert "Collecte 2nde" in content and "<html" not in content
    assert "HX-Request" in response["Vary"]


def test_campaign_list_runs_a_bounded_number_of_queries(
    member_client, organization, teacher, django_assert_max_num_queries
):
    for index in range(30):
        campaign = CampaignFactory(organization=organization, creator=teacher, name=f"Collecte {index}")
        sent(campaign, last_name=f"Nom{index}")
    # session, user, membership, tab counts, page count, page rows, organizations of the switcher
    with django_assert_max_num_queries(8):
        response = member_client.get(reverse("campaigns:list"))
    assert len(response.context["page"].object_list) == 25


# Creating and editing


def test_create_campaign_opens_its_page_with_a_code(member_client, teacher, organization):
    response = member_client.post(
        reverse("campaigns:create"),
        {
            "name": "Collecte des profils au 23.09.21",
            "type": "PROFILES_COLLECTION",
            "owner": teacher.pk,
            "multiple_sendings": "True",
            "external_id_label": "",
            "custom_landing_page_text": "Bonjour",
        },
    )
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert (campaign.organization, campaign.creator, campaign.owner) == (organization, teacher, teacher)
    assert campaign.multiple_sendings
    page = page_text(member_client.get(campaign.get_absolute_url()))
    assert campaign.code in page and f"http://testserver/campagnes/{campaign.code}" in page
    assert "<svg" in page


def test_create_form_errors_are_in_french_next_to_their_field(member_client, teacher):
    response = member_client.post(reverse("campaigns:create"), {"name": "", "owner": teacher.pk})
    content = page_text(response)
    assert response.status_code == 200
    assert "Veuillez donner un nom à la campagne." in content
    assert "Veuillez choisir l'objectif de la campagne." in content
    assert not Campaign.objects.exists()


def test_assessment_objective_needs_a_target_profile(member_client, teacher):
    response = member_client.post(
        reverse("campaigns:create"), {"name": "Évaluation", "type": "ASSESSMENT", "owner": teacher.pk}
    )
    assert "Choisissez au moins une compétence ou un sujet à évaluer." in page_text(response)
    assert not Campaign.objects.exists()


def test_owner_must_be_a_member_of_the_organization(member_client, stranger):
    response = member_client.post(
        reverse("campaigns:create"), {"name": "Collecte", "type": "PROFILES_COLLECTION", "owner": stranger.pk}
    )
    assert "Choisissez un membre de votre organisation" in page_text(response)


def test_edit_changes_name_owner_and_texts_never_code_or_type(member_client, campaign, colleague):
    code = campaign.code
    response = member_client.post(
        reverse("campaigns:update", args=[campaign.pk]),
        {
            "name": "Nouveau nom",
            "owner": colleague.pk,
            "external_id_label": "numéro d'élève",
            "custom_landing_page_text": "Texte",
            "code": "AAAAAA111",
            "type": "ASSESSMENT",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.owner, campaign.external_id_label) == (
        "Nouveau nom",
        colleague,
        "numéro d'élève",
    )
    assert (campaign.code, campaign.type) == (code, Campaign.Type.PROFILES_COLLECTION)


def test_archive_then_unarchive(member_client, campaign):
    member_client.post(reverse("campaigns:archive", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.is_archived
    archived = member_client.get(reverse("campaigns:list"), {"onglet": "archivees"})
    assert campaign in archived.context["page"].object_list
    assert member_client.get(reverse("campaigns:export", args=[campaign.pk])).status_code == 200
    member_client.post(reverse("campaigns:unarchive", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert not campaign.is_archived


# The results tab


@pytest.fixture
def results(campaign):
    """Four pupils in two classes: two certifiable, one not, one who has not sent yet."""
    return {
        "alice": sent(
            campaign,
            last_name="Arnaud",
            first_name="Alice",
            division="2NDE1",
            days_ago=3,
            pix=dict.fromkeys(COMPETENCE_CODES[:6], 16),
        ),
        "bruno": sent(
            campaign,
            last_name="Bernard",
            first_name="Bruno",
            division="2NDE2",
            days_ago=1,
            pix=dict.fromkeys(COMPETENCE_CODES[:4], 30),
        ),
        "chloe": sent(
            campaign,
            last_name="Colin",
            first_name="Chloé",
            division="2NDE2",
            days_ago=2,
            pix=dict.fromkeys(COMPETENCE_CODES[:5], 8),
        ),
        "pending": ParticipationFactory(
            campaign=campaign, learner__division="1G1", learner__last_name="Dupuis"
        ),
    }


def _rows(response):
    return [row.learner.last_name for row in response.context["page"].object_list]


def test_results_show_most_recent_sending_first_then_those_waiting(member_client, campaign, results):
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]))
    assert _rows(response) == ["Bernard", "Colin", "Arnaud", "Dupuis"]
    content = page_text(response)
    assert "4 participants" in content and "En attente d'envoi" in content
    assert "Non certifiable" in content and "Résultats (4)" in content


def test_results_filter_by_several_classes(member_client, campaign, results):
    response = member_client.get(
        reverse("campaigns:results", args=[campaign.pk]), {"classe": ["2NDE1", "1G1"]}
    )
    assert _rows(response) == ["Arnaud", "Dupuis"]
    assert "Effacer les filtres" in page_text(response)


@pytest.mark.parametrize(("value", "expected"), [("oui", ["Colin", "Arnaud"]), ("non", ["Bernard"])])
def test_results_filter_by_certifiability(member_client, campaign, results, value, expected):
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]), {"certifiable": value})
    assert _rows(response) == expected


def test_results_search_on_names(member_client, campaign, results):
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]), {"recherche": "chlo"})
    assert _rows(response) == ["Colin"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("nom", ["Arnaud", "Bernard", "Colin", "Dupuis"]),
        ("-nom", ["Dupuis", "Colin", "Bernard", "Arnaud"]),
        ("prenom", ["Arnaud", "Bernard", "Colin", "Dupuis"]),
        ("date", ["Dupuis", "Arnaud", "Colin", "Bernard"]),
        ("-score", ["Bernard", "Arnaud", "Colin", "Dupuis"]),
        ("score", ["Dupuis", "Colin", "Arnaud", "Bernard"]),
        ("-competences", ["Arnaud", "Colin", "Bernard", "Dupuis"]),
        ("-certifiable", ["Colin", "Arnaud", "Bernard", "Dupuis"]),
        ("n'importe quoi", ["Bernard", "Colin", "Arnaud", "Dupuis"]),
    ],
)
def test_results_sort_on_every_column(member_client, campaign, results, ordering, expected):
    results["pending"].learner.first_name = "Zoé"
    results["pending"].learner.save()
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]), {"tri": ordering})
    assert _rows(response) == expected


def test_sort_links_keep_the_filters_and_say_the_direction(member_client, campaign, results):
    response = member_client.get(
        reverse("campaigns:results", args=[campaign.pk]), {"classe": "2NDE2", "tri": "nom"}
    )
    content = page_text(response)
    assert 'aria-sort="ascending"><a href="?classe=2NDE2&tri=-nom"' in content


def test_results_page_size_is_25_50_or_100(member_client, campaign):
    for index in range(60):
        sent(campaign, last_name=f"Nom{index:02d}")
    url = reverse("campaigns:results", args=[campaign.pk])
    assert len(member_client.get(url).context["page"].object_list) == 25
    assert len(member_client.get(url, {"taille": 50}).context["page"].object_list) == 50
    assert len(member_client.get(url, {"taille": 7}).context["page"].object_list) == 25
    last = member_client.get(url, {"taille": 50, "page": 2})
    assert len(last.context["page"].object_list) == 10


def test_results_show_external_id_column_when_the_campaign_has_one(member_client, organization, teacher):
    campaign = CampaignFactory(organization=organization, creator=teacher, external_id_label="Numéro d'élève")
    sent(campaign, last_name="Martin", participant_external_id="E-4521")
    content = page_text(member_client.get(reverse("campaigns:results", args=[campaign.pk])))
    assert "Numéro d'élève" in content and "E-4521" in content


def test_results_with_multiple_sendings_show_latest_sending_and_its_evolution(
    member_client, organization, teacher
):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = sent(campaign, last_name="Martin", days_ago=5, is_improved=True, pix={"1.1": 8})
    SharedParticipationFactory(
        campaign=campaign, user=first.user, learner=first.learner, snapshot__pix={"1.1": 16, "1.2": 8}
    )
    response = member_client.get(reverse("campaigns:results", args=[campaign.pk]))
    (row,) = response.context["page"].object_list
    assert (row.snapshot.pix_score, row.previous_pix_score, row.sendings_count) == (24, 8, 1)
    assert "en hausse, 8 au précédent envoi" in page_text(response)


def test_results_htmx_request_gets_only_the_table(member_client, campaign, results):
    response = member_client.get(
        reverse("campaigns:results", args=[campaign.pk]),
        {"certifiable": "non"},
        headers={"HX-Request": "true"},
    )
    content = page_text(response)
    assert content.lstrip().startswith('<div id="results-table"')
    assert "Bernard" in content and "Arnaud" not in content


def test_results_tab_runs_a_bounded_number_of_queries(
    member_client, organization, teacher, django_assert_max_num_queries
):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    for index in range(300):
        sent(campaign, last_name=f"Nom{index:03d}", division=f"2NDE{index % 6}", days_ago=index % 10)
    url = reverse("campaigns:results", args=[campaign.pk])
    # session, user, membership, campaign, results count (tab), divisions, page count, page rows,
    # organizations of the switcher
    with django_assert_max_num_queries(10):
        response = member_client.get(
            url, {"classe": ["2NDE1", "2NDE2"], "certifiable": "oui", "tri": "-score"}
        )
    assert response.context["page"].paginator.count == 100


# The participant page


def test_participant_page_shows_the_frozen_profile_by_area(member_client, campaign, results):
    chloe = results["chloe"]
    response = member_client.get(reverse("campaigns:participant", args=[campaign.pk, chloe.pk]))
    content = page_text(response)
    assert "Chloé Colin" in content and "2NDE2" in content
    assert "Certifiable" in content and "5 sur 16" in content
    assert "1. Information et données" in content and "5.2 Construire un environnement numérique" in content


def test_participant_page_says_how_many_competences_are_missing(member_client, campaign, results):
    response = member_client.get(reverse("campaigns:participant", args=[campaign.pk, results["bruno"].pk]))
    assert "il manque 1 compétence de niveau 1 au moins" in page_text(response)


def test_participant_page_lists_earlier_sendings(member_client, organization, teacher):
    campaign = CampaignFactory(organization=organization, creator=teacher, multiple_sendings=True)
    first = sent(campaign, last_name="Martin", days_ago=5, is_improved=True, pix={"1.1": 8})
    latest = SharedParticipationFactory(campaign=campaign, user=first.user, learner=first.learner)
    response = member_client.get(reverse("campaigns:participant", args=[campaign.pk, latest.pk]))
    assert list(response.context["history"]) == [first]
    assert "Envois précédents" in page_text(response)


def test_participant_page_runs_a_bounded_number_of_queries(
    member_client, campaign, results, django_assert_max_num_queries
):
    with django_assert_max_num_queries(7):
        member_client.get(reverse("campaigns:participant", args=[campaign.pk, results["alice"].pk]))


# The activity tab


def test_activity_shows_totals_and_a_table_per_class(member_client, campaign, results):
    response = member_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    activity = response.context["activity"]
    assert activity["totals"] == {"participants": 4, "shared": 3, "certifiable": 2, "not_certifiable": 1}
    per_division = {row["learner__division"]: row for row in activity["per_division"]}
    assert (per_division["2NDE2"]["shared"], per_division["2NDE2"]["not_certifiable"]) == (2, 1)
    assert (per_division["1G1"]["participants"], per_division["1G1"]["shared"]) == (1, 0)
    assert sum(day["sendings"] for day in activity["per_day"]) == 3
    content = page_text(response)
    assert "67 % des profils reçus sont certifiables" in content


def test_team_and_learner_pages_are_scoped_to_the_organization(member_client, organization, pupil):
    other = OrganizationFactory(name="Autre lycée")
    MembershipFactory(organization=other, user__last_name="Inconnu")
    OrganizationLearnerFactory(organization=other, last_name="Étranger")
    team = page_text(member_client.get(reverse("campaigns:team")))
    learners = page_text(member_client.get(reverse("campaigns:learners")))
    assert "Inconnu" not in team
    assert "Martin" in learners and "Étranger" not in learners


def test_member_of_two_organizations_switches_between_them(client, teacher, organization):
    other = OrganizationFactory(name="Collège Marie Curie")
    MembershipFactory(organization=other, user=teacher)
    elsewhere = CampaignFactory(organization=other, name="Collecte du collège")
    client.force_login(teacher)
    assert client.get(elsewhere.get_absolute_url()).status_code == 404
    client.post(reverse("switch_organization"), {"organization": other.pk})
    assert client.get(elsewhere.get_absolute_url()).status_code == 200
    assert "Collège Marie Curie" in page_text(client.get(reverse("campaigns:list")))


def test_cannot_switch_to_an_organization_one_is_not_member_of(member_client, stranger):
    foreign = stranger.memberships.get().organization
    for wanted in [foreign.pk, "abc", ""]:
        assert member_client.post(reverse("switch_organization"), {"organization": wanted}).status_code == 404


def test_results_partial_keeps_its_links_whole(member_client, campaign, results):
    response = member_client.get(
        reverse("campaigns:results", args=[campaign.pk]),
        {"certifiable": "non"},
        headers={"HX-Request": "true"},
    )
    assert (
        f'<a href="{reverse("campaigns:results", args=[campaign.pk])}">Effacer les filtres</a>'
        in page_text(response)
    )


def test_activity_tab_runs_a_bounded_number_of_queries(
    member_client, organization, teacher, django_assert_max_num_queries
):
    campaign = CampaignFactory(organization=organization, creator=teacher)
    for index in range(200):
        sent(campaign, last_name=f"Nom{index:03d}", division=f"2NDE{index % 6}", days_ago=index % 9)
    # session, user, membership, campaign, results count (tab), totals, per day, per class, switcher
    with django_assert_max_num_queries(9):
        response = member_client.get(reverse("campaigns:detail", args=[campaign.pk]))
    assert len(response.context["activity"]["per_day"]) == 9
    assert len(response.context["activity"]["per_division"]) == 6
