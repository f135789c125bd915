"""The printable sheet to hand out in class: the code, the direct link and its QR code, four times."""

import pytest
from django.urls import reverse

from .checks import (
    NOT_A_MEMBER,
    assert_forbidden,
    assert_method_not_allowed,
    assert_not_found,
    assert_sent_to_login,
)
from .html import document, element, elements, links, text, title

pytestmark = pytest.mark.django_db


def _url(campaign):
    return reverse("campaigns:handout", args=[campaign.pk])


def _slips(response):
    return list(elements(document(response), "section", class_="handout-slip"))


# Who may print it


def test_owner_who_is_not_an_admin_prints_four_slips(as_owner, campaign):
    slips = _slips(as_owner.get(_url(campaign)))
    assert len(slips) == 4
    for slip in slips:
        assert text(element(slip, "strong", class_="handout-slip__code")) == campaign.code


def test_admin_who_is_not_the_owner_prints_it(as_admin, campaign):
    assert len(_slips(as_admin.get(_url(campaign)))) == 4


def test_member_who_is_neither_prints_it_too(as_member, campaign):
    assert len(_slips(as_member.get(_url(campaign)))) == 4


def test_teacher_of_another_organization_gets_404(as_stranger, campaign):
    response = as_stranger.get(_url(campaign))
    assert_not_found(response)
    assert campaign.code not in response.content.decode()


def test_pupil_without_membership_gets_403(as_pupil, campaign):
    assert_forbidden(as_pupil.get(_url(campaign)), NOT_A_MEMBER)


def test_anonymous_visitor_is_sent_to_login(client, campaign):
    assert_sent_to_login(client.get(_url(campaign)), _url(campaign))


def test_post_is_405(as_owner, campaign):
    response = as_owner.post(_url(campaign))
    assert_method_not_allowed(response, "GET")
    assert campaign.code not in response.content.decode()


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.get(f"/orga/campagnes/{pk}/affiche/"))


# What it shows


def test_slip_says_how_to_join_with_the_qr_code_of_the_direct_link(as_owner, campaign):
    response = as_owner.get(_url(campaign))
    doc = document(response)
    assert title(doc).startswith("Fiche à distribuer")
    slip = _slips(response)[0]
    content = text(slip)
    assert "Envoyez votre profil Pix" in content
    assert f"{campaign.organization.name} — {campaign.name}" in content
    assert f"http://testserver/campagnes/{campaign.code}" in content
    assert text(element(element(slip, "svg"), "title")) == "QR code du lien direct de la campagne"


def test_sheet_leads_back_to_the_campaign(as_owner, campaign):
    doc = document(as_owner.get(_url(campaign)))
    assert links(doc, "← Retour à la campagne") == [campaign.get_absolute_url()]
    assert "hidden" in element(doc, "button", data_print=True).attributes
