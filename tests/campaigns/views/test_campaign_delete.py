"""« Supprimer » a campaign: the owner or an admin, once the confirmation box is ticked; its
participations and sent profiles go with it."""

import pytest
from django.urls import reverse

from campaigns.factories import ParticipationFactory
from campaigns.models import Campaign, Participation
from profiles.models import ProfileSnapshot
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
from .html import attr, document, element, field_errors, links, messages, text, title

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirm": "on"}
# What a browser posts when the box is left unticked: the form's token, and nothing for the box.
UNTICKED = {"csrfmiddlewaretoken": "jeton"}


def _url(campaign):
    return reverse("campaigns:delete", args=[campaign.pk])


@pytest.fixture
def filled(campaign):
    """Two participants, one of whom sent."""
    sent(campaign, last_name="Martin")
    ParticipationFactory(campaign=campaign)
    return campaign


def _exists(campaign):
    return Campaign.objects.filter(pk=campaign.pk).exists()


# Who may delete


def test_owner_who_is_not_an_admin_deletes_it_with_everything_it_holds(as_owner, filled):
    response = as_owner.post(_url(filled), CONFIRMED, follow=True)
    assert not _exists(filled)
    assert not Participation.objects.exists() and not ProfileSnapshot.objects.exists()
    assert response.redirect_chain == [(reverse("campaigns:list"), 302)]
    assert messages(document(response)) == [
        fr("La campagne « Collecte des profils au 23.09.21 » et ses participations sont supprimées.")
    ]


def test_admin_who_is_not_the_owner_deletes_it(as_admin, filled):
    as_admin.post(_url(filled), CONFIRMED)
    assert not _exists(filled)


def test_member_who_is_neither_gets_403_and_sees_no_button(as_member, filled):
    assert_forbidden(as_member.get(_url(filled)))
    assert_forbidden(as_member.post(_url(filled), CONFIRMED))
    assert _exists(filled) and Participation.objects.count() == 2
    settings = document(as_member.get(reverse("campaigns:settings", args=[filled.pk])))
    assert links(settings, "Supprimer") == []


def test_managers_see_the_button_in_the_settings(as_owner, filled):
    settings = document(as_owner.get(reverse("campaigns:settings", args=[filled.pk])))
    assert links(settings, "Supprimer") == [_url(filled)]


def test_teacher_of_another_organization_gets_404(as_stranger, filled):
    assert_not_found(as_stranger.post(_url(filled), CONFIRMED))
    assert _exists(filled)


def test_pupil_without_membership_gets_403(as_pupil, filled):
    assert_forbidden(as_pupil.post(_url(filled), CONFIRMED), NOT_A_MEMBER)
    assert _exists(filled)


def test_anonymous_visitor_is_sent_to_login(client, filled):
    assert_sent_to_login(client.post(_url(filled), CONFIRMED), _url(filled))
    assert _exists(filled)


def test_put_is_405_and_deletes_nothing(as_owner, filled):
    assert_method_not_allowed(as_owner.put(_url(filled)), "GET", "POST")
    assert _exists(filled)


# The confirmation


def test_page_says_what_will_be_deleted_with_counts_in_french(as_owner, filled):
    doc = document(as_owner.get(_url(filled)))
    assert title(doc) == "Supprimer · Collecte des profils au 23.09.21 · pixorga"
    warning = text(element(doc, "section", class_="card--warning"))
    assert (
        "La campagne, ses 2 participations et les 1 profil reçu seront supprimés définitivement." in warning
    )
    assert f"Le code {filled.code} ne fonctionnera plus." in warning
    checkbox = element(doc, "input", name="confirm")
    assert attr(checkbox, "type") == "checkbox"
    assert text(element(doc, "label", **{"for": attr(checkbox, "id")})).startswith(
        "Je comprends que la campagne"
    )


def test_unticked_box_deletes_nothing_and_says_so_next_to_it(as_owner, filled):
    response = as_owner.post(_url(filled), UNTICKED)
    doc = document(response)
    assert response.status_code == 200
    assert field_errors(doc, "confirm") == ["Cochez la case pour confirmer la suppression."]
    assert attr(element(doc, "input", name="confirm"), "aria-describedby") == "id_confirm_error"
    assert title(doc).startswith(fr("Erreur : "))
    assert _exists(filled) and Participation.objects.count() == 2


def test_deleted_campaign_code_leads_pupils_nowhere(as_owner, filled, as_pupil):
    code = filled.code
    as_owner.post(_url(filled), CONFIRMED)
    response = as_pupil.get(reverse("pupil:landing", args=[code]))
    assert response.status_code == 404
    assert fr(f"Le code « {code} » ne correspond à aucune campagne") in page_text(response)


def test_deleted_campaign_leaves_the_list(as_owner, filled):
    as_owner.post(_url(filled), CONFIRMED)
    response = as_owner.get(reverse("campaigns:list"), {"vue": "toutes"})
    assert "Aucune campagne pour l'instant" in text(element(document(response), "p", class_="empty"))


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_campaign_id_is_404(as_owner, pk):
    assert_not_found(as_owner.post(f"/orga/campagnes/{pk}/supprimer/", CONFIRMED))
