"""« Archiver »: the owner or an admin closes the campaign to new participants; its results stay."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation
from tests.campaigns.sendings import sent
from tests.pages import page_text

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    fr,
)
from .html import document, element, elements, messages, table_rows, text

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:archive", args=[campaign.pk])


def _archived(campaign):
    campaign.refresh_from_db()
    return campaign.is_archived


# Who may archive


def test_owner_who_is_not_an_admin_archives_it(as_owner, campaign, owner):
    response = as_owner.post(_url(campaign), follow=True)
    assert _archived(campaign) and campaign.archived_by == owner
    assert response.redirect_chain == [(campaign.get_absolute_url(), 302)]
    assert messages(document(response)) == [
        fr("La campagne est archivée : elle n'accepte plus de participants.")
    ]


def test_admin_who_is_not_the_owner_archives_it(as_admin, campaign, admin):
    as_admin.post(_url(campaign))
    assert _archived(campaign) and campaign.archived_by == admin


def test_member_who_is_neither_gets_403_and_sees_no_button(as_member, campaign):
    assert_forbidden(as_member.post(_url(campaign)))
    assert not _archived(campaign)
    doc = document(as_member.get(campaign.get_absolute_url()))
    assert not list(elements(doc, "form", action=_url(campaign)))


def test_teacher_of_another_organization_gets_404(as_stranger, campaign):
    assert_not_found(as_stranger.post(_url(campaign)))
    assert not _archived(campaign)


def test_pupil_without_membership_gets_403(as_pupil, campaign):
    assert_forbidden(as_pupil.post(_url(campaign)), NOT_A_MEMBER)
    assert not _archived(campaign)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.post(_url(campaign)), _url(campaign))
    assert not _archived(campaign)


def test_get_is_405_and_archives_nothing(as_owner, campaign):
    assert_method_not_allowed(as_owner.get(_url(campaign)), "POST")
    assert not _archived(campaign)


# What archiving does


def test_archived_campaign_moves_to_the_archived_tab_and_keeps_its_results(as_owner, campaign):
    sent(campaign, last_name="Martin")
    as_owner.post(_url(campaign))
    listed = document(as_owner.get(reverse("campaigns:list"), {"onglet": "archivees"}))
    assert [row["Nom de la campagne"] for row in table_rows(element(listed, "table"))] == [campaign.name]
    results = document(as_owner.get(reverse("campaigns:results", args=[campaign.pk])))
    assert [row["Nom"] for row in table_rows(element(results, "table", class_="results"))] == ["Martin"]
    assert "Archivée" in text(element(results, "h1"))
    export = as_owner.get(reverse("campaigns:export", args=[campaign.pk]))
    assert "Martin" in b"".join(export.streaming_content).decode()


def test_archived_campaign_tells_pupils_and_takes_no_participant(as_owner, campaign, as_pupil):
    as_owner.post(_url(campaign))
    landing = as_pupil.post(campaign.get_join_url(), follow=True)
    assert fr("Cette campagne est archivée : elle n'accepte plus de participation.") in page_text(landing)
    assert not Participation.objects.exists()


def test_archiving_again_keeps_the_first_date(as_owner, as_admin, campaign, owner):
    as_owner.post(_url(campaign))
    campaign.refresh_from_db()
    first = campaign.archived_at
    as_admin.post(_url(campaign))
    campaign.refresh_from_db()
    assert (campaign.archived_at, campaign.archived_by) == (first, owner)


def test_settings_say_who_archived_it_and_when(as_owner, campaign):
    as_owner.post(_url(campaign))
    campaign.refresh_from_db()
    content = text(
        element(
            document(as_owner.get(reverse("campaigns:settings", args=[campaign.pk]))), "dl", class_="settings"
        )
    )
    assert (
        f"Archivée le {timezone.localtime(campaign.archived_at):%d/%m/%Y à %H:%M} par Olivier Dumont"
        in content
    )


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.post(f"/orga/campagnes/{pk}/archiver/"))
