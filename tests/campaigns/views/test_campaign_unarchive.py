"""« Désarchiver »: the owner or an admin opens an archived campaign to participants again."""

import pytest
from django.urls import reverse
from django.utils import timezone

from campaigns.models import Participation

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
    fr,
)
from .html import document, element, elements, links, messages, text

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:unarchive", args=[campaign.pk])


@pytest.fixture
def archived(campaign, owner):
    campaign.archived_at = timezone.now()
    campaign.archived_by = owner
    campaign.save()
    return campaign


def _still_archived(campaign):
    campaign.refresh_from_db()
    return campaign.is_archived


# Who may unarchive


def test_owner_who_is_not_an_admin_unarchives_it(as_owner, archived):
    response = as_owner.post(_url(archived), follow=True)
    assert not _still_archived(archived) and archived.archived_by is None
    assert response.redirect_chain == [(archived.get_absolute_url(), 302)]
    assert messages(document(response)) == [
        fr("La campagne est désarchivée : elle accepte à nouveau des participants.")
    ]


def test_admin_who_is_not_the_owner_unarchives_it(as_admin, archived):
    as_admin.post(_url(archived))
    assert not _still_archived(archived)


def test_managers_see_the_button_on_an_archived_campaign(as_owner, archived):
    doc = document(as_owner.get(archived.get_absolute_url()))
    assert text(element(doc, "form", action=_url(archived))) == "Désarchiver"


def test_member_who_is_neither_gets_403_and_sees_no_button(as_member, archived):
    assert_forbidden(as_member.post(_url(archived)))
    assert _still_archived(archived)
    assert not list(
        elements(document(as_member.get(archived.get_absolute_url())), "form", action=_url(archived))
    )


def test_teacher_of_another_organization_gets_404(as_stranger, archived):
    assert_not_found(as_stranger.post(_url(archived)))
    assert _still_archived(archived)


def test_pupil_without_membership_gets_403(as_pupil, archived):
    assert_forbidden(as_pupil.post(_url(archived)), NOT_A_MEMBER)
    assert _still_archived(archived)


def test_anonymous_visitor_is_sent_to_login(client, archived):
    assert_sent_to_login(client.post(_url(archived)), _url(archived))
    assert _still_archived(archived)


def test_get_is_405_and_unarchives_nothing(as_owner, archived):
    assert_method_not_allowed(as_owner.get(_url(archived)), "POST")
    assert _still_archived(archived)


# What unarchiving does


def test_unarchived_campaign_takes_participants_again(as_owner, archived, as_pupil):
    as_owner.post(_url(archived))
    as_pupil.post(archived.get_join_url())
    assert Participation.objects.filter(campaign=archived).count() == 1


def test_unarchived_campaign_may_be_changed_again(as_owner, archived):
    as_owner.post(_url(archived))
    doc = document(as_owner.get(archived.get_absolute_url()))
    assert links(doc, "Modifier") == [reverse("campaigns:update", args=[archived.pk])]
    form = document(as_owner.get(reverse("campaigns:update", args=[archived.pk])))
    assert text(element(form, "h1")) == "Modifier la campagne"


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.post(f"/orga/campagnes/{pk}/desarchiver/"))
