"""« N'ont pas rejoint »: the pupils of the school's roster who never joined the campaign, by class —
the list step 6 (relaunching) starts with."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory, UserFactory
from accounts.models import Organization
from campaigns.factories import CampaignFactory, ParticipationFactory
from students.factories import OrganizationLearnerFactory
from tests.campaigns.sendings import sent

from .checks import (
    HISTORY_RESTORE,
    HTMX,
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    assert_varies_on_htmx,
)
from .html import by_id, contains, document, element, elements, links, table_rows, text, title
from .pupils import join

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:never_joined", args=[campaign.pk])


@pytest.fixture
def roster(campaign, organization):
    """The roster: two pupils who joined (one sent), three who never did, one disabled, one of another
    school."""
    sent(campaign, last_name="Arnaud", division="2NDE1")
    ParticipationFactory(campaign=campaign, learner__last_name="Bernard", learner__division="2NDE2")
    for last_name, division in [("Colin", "2NDE2"), ("Durand", "2NDE1"), ("Eymard", "2NDE1")]:
        OrganizationLearnerFactory(
            organization=organization, last_name=last_name, first_name="Zoé", division=division
        )
    OrganizationLearnerFactory(
        organization=organization, last_name="Parti", division="2NDE1", is_disabled=True
    )
    OrganizationLearnerFactory(last_name="Ailleurs", division="2NDE1")
    return campaign


def _rows(response):
    region = by_id(document(response), "never-joined-table")
    tables = list(elements(region, "table"))
    return [(row["Classe"], row["Nom"]) for row in table_rows(tables[0])] if tables else []


def _count(response):
    return text(by_id(document(response), "never-joined-count"))


# Who may see it


def test_owner_who_is_not_an_admin_sees_who_never_joined_by_class(as_owner, roster):
    response = as_owner.get(_url(roster))
    assert _rows(response) == [("2NDE1", "Durand"), ("2NDE1", "Eymard"), ("2NDE2", "Colin")]
    assert _count(response) == "3 élèves"


def test_admin_who_is_not_the_owner_sees_it(as_admin, roster):
    assert len(_rows(as_admin.get(_url(roster)))) == 3


def test_member_who_is_neither_sees_it(as_member, roster):
    assert len(_rows(as_member.get(_url(roster)))) == 3


def test_teacher_of_another_organization_gets_404(as_stranger, roster):
    response = as_stranger.get(_url(roster))
    assert_not_found(response)
    assert "Durand" not in response.content.decode()


def test_pupil_without_membership_gets_403(as_pupil, roster):
    assert_forbidden(as_pupil.get(_url(roster)), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client, roster):
    assert_sent_to_login(client.get(_url(roster)), _url(roster))


def test_post_is_405(as_owner, roster):
    assert_method_not_allowed(as_owner.post(_url(roster)), "GET")


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/jamais-rejoint/"))


def test_organization_without_a_roster_gets_403_with_the_reason(login):
    teacher = MembershipFactory(organization=OrganizationFactory(type=Organization.Type.PRO)).user
    campaign = CampaignFactory(organization=teacher.memberships.get().organization, creator=teacher)
    assert_forbidden(
        login(teacher).get(_url(campaign)), "Seuls les établissements scolaires ont une base élèves."
    )


# What it lists


def test_one_class(as_owner, roster):
    response = as_owner.get(_url(roster), {"classe": "2NDE1"})
    doc = document(response)
    assert _rows(response) == [("2NDE1", "Durand"), ("2NDE1", "Eymard")]
    assert text(element(doc, "h1")) == "Élèves qui n'ont pas encore rejoint la campagne — 2NDE1"
    assert links(doc, "Voir toutes les classes") == [_url(roster)]


def test_pupil_who_joins_leaves_the_list(as_owner, roster, organization):
    colin = organization.learners.get(last_name="Colin")
    colin.user = UserFactory()
    colin.save()
    join(roster, colin)
    assert _rows(as_owner.get(_url(roster))) == [("2NDE1", "Durand"), ("2NDE1", "Eymard")]


def test_deleted_participant_does_not_come_back_to_the_list(as_owner, roster, organization):
    """He cannot join again: listing him among those to chase would send him to a closed door."""
    bernard = roster.participations.get(learner__last_name="Bernard")
    bernard.deleted_at = timezone.now()
    bernard.save()
    assert ("2NDE2", "Bernard") not in _rows(as_owner.get(_url(roster)))


def test_class_where_everyone_joined_says_so(as_owner, roster):
    sent(roster, last_name="Fabre", division="1G1")
    response = as_owner.get(_url(roster), {"classe": "1G1"})
    assert _rows(response) == []
    assert (
        text(element(document(response), "p", class_="empty"))
        == "Tous les élèves de 1G1 ont rejoint la campagne."
    )
    assert _count(response) == "0 élève"


@pytest.mark.parametrize(("count", "expected"), [(0, "0 élève"), (1, "1 élève"), (2, "2 élèves")])
def test_count_agrees_in_french(as_owner, campaign, organization, count, expected):
    OrganizationLearnerFactory.create_batch(count, organization=organization)
    assert _count(as_owner.get(_url(campaign))) == expected


def test_list_is_paged_by_50(as_owner, campaign, organization):
    for index in range(60):
        OrganizationLearnerFactory(organization=organization, last_name=f"Nom{index:02d}", division="2NDE1")
    first = as_owner.get(_url(campaign), {"classe": "2NDE1"})
    assert len(_rows(first)) == 50
    assert text(element(document(first), "nav", aria_label="Pagination")).startswith("Page 1 sur 2")
    assert by_id(document(first), "never-joined-table-next").attributes["href"] == "?classe=2NDE1&page=2"
    assert len(_rows(as_owner.get(_url(campaign), {"classe": "2NDE1", "page": 2}))) == 10


# htmx


def test_htmx_request_gets_only_the_table(as_owner, roster):
    response = as_owner.get(_url(roster), {"classe": "2NDE2"}, headers=HTMX)
    assert response.content.decode().lstrip().startswith('<div id="never-joined-table"')
    assert _rows(response) == [("2NDE2", "Colin")]
    assert_varies_on_htmx(response)


def test_history_restore_request_gets_the_full_page(as_owner, roster):
    response = as_owner.get(_url(roster), {"classe": "2NDE2"}, headers=HISTORY_RESTORE)
    doc = document(response)
    assert title(doc).startswith("Élèves qui n'ont pas rejoint")
    assert _rows(response) == [("2NDE2", "Colin")] and _count(response) == "1 élève"


def test_live_region_announcing_the_count_is_outside_the_replaced_fragment(as_owner, roster):
    doc = document(as_owner.get(_url(roster)))
    count = by_id(doc, "never-joined-count")
    assert count.attributes["role"] == "status"
    assert not contains(by_id(doc, "never-joined-table"), count)


# Malformed input never gives a 500


@pytest.mark.parametrize("query", [{"classe": "<inconnue>"}, {"classe": "x" * 10_000}])
def test_unknown_class_lists_nobody(as_owner, roster, query):
    response = as_owner.get(_url(roster), query)
    assert response.status_code == 200 and _rows(response) == []


@pytest.mark.parametrize("query", [{"page": "²"}, {"page": "1" * 30}, {"taille": "99999"}])
def test_malformed_page_gives_the_first_page(as_owner, roster, query):
    assert len(_rows(as_owner.get(_url(roster), query))) == 3


# Queries


def test_runs_a_bounded_number_of_queries(as_owner, campaign, organization, django_assert_max_num_queries):
    for index in range(60):
        OrganizationLearnerFactory(organization=organization, division=f"2NDE{index % 6}")
    # session, user, membership, campaign, count, organizations of the switcher, page rows: 7
    with django_assert_max_num_queries(7):
        response = as_owner.get(_url(campaign))
    assert len(_rows(response)) == 50
