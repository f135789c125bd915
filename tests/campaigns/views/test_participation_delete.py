"""Deleting a participation: the owner or an admin, once the box is ticked. The pupil leaves every count,
list and export, and cannot join that campaign again: the pupil pages tell him so in French."""

import csv
import io

import pytest
from django.urls import reverse

from campaigns.export import BOM
from campaigns.factories import CampaignFactory, ParticipationFactory
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
from .html import (
    attr,
    by_id,
    document,
    element,
    elements,
    field_errors,
    messages,
    table_rows,
    text,
    title,
)
from .pupils import campaign_change, send

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirm": "on"}
# What a browser posts when the box is left unticked: the form's token, and nothing for the box.
UNTICKED = {"csrfmiddlewaretoken": "jeton"}
DELETED = (
    "Votre participation à cette campagne a été supprimée par l'organisateur : vous ne pouvez plus y "
    "participer. Rapprochez-vous de votre enseignant si c'est une erreur."
)


def _url(participation):
    return reverse("campaigns:participation_delete", args=[participation.campaign_id, participation.pk])


@pytest.fixture
def lea(campaign, pupil):
    """Léa Martin (the `pupil` fixture's account) sent her profile; Paul Durand sent his too."""
    sent(campaign, last_name="Durand", first_name="Paul")
    return send(campaign, pupil.learners.get())


def _is_deleted(participation):
    participation.refresh_from_db()
    return participation.is_deleted


# Who may delete


def test_owner_who_is_not_an_admin_deletes_it(as_owner, lea, owner):
    response = as_owner.post(_url(lea), CONFIRMED, follow=True)
    assert _is_deleted(lea) and lea.deleted_by == owner
    assert response.redirect_chain == [(lea.campaign.get_absolute_url(), 302)]
    assert messages(document(response)) == ["La participation de Léa Martin est supprimée."]


def test_admin_who_is_not_the_owner_deletes_it(as_admin, lea, admin):
    as_admin.post(_url(lea), CONFIRMED)
    assert _is_deleted(lea) and lea.deleted_by == admin


def test_member_who_is_neither_gets_403_and_deletes_nothing(as_member, lea):
    assert_forbidden(as_member.get(_url(lea)))
    assert_forbidden(as_member.post(_url(lea), CONFIRMED))
    assert not _is_deleted(lea)


def test_teacher_of_another_organization_gets_404(as_stranger, lea):
    assert_not_found(as_stranger.post(_url(lea), CONFIRMED))
    assert not _is_deleted(lea)


def test_pupil_without_membership_gets_403(login, lea, pupil):
    assert_forbidden(login(pupil).post(_url(lea), CONFIRMED), NOT_A_MEMBER)
    assert not _is_deleted(lea)


def test_anonymous_visitor_is_sent_to_login(client, lea):
    assert_sent_to_login(client.post(_url(lea), CONFIRMED), _url(lea))
    assert not _is_deleted(lea)


def test_put_is_405_and_deletes_nothing(as_owner, lea):
    assert_method_not_allowed(as_owner.put(_url(lea)), "GET", "POST")
    assert not _is_deleted(lea)


def test_participation_of_another_campaign_is_404(as_owner, campaign, lea, organization, owner):
    other = CampaignFactory(organization=organization, creator=owner)
    assert_not_found(
        as_owner.post(reverse("campaigns:participation_delete", args=[other.pk, lea.pk]), CONFIRMED)
    )
    assert not _is_deleted(lea)


@pytest.mark.parametrize("pk", ["²", "1" * 30])
def test_malformed_participation_id_is_404(as_owner, campaign, pk):
    assert_not_found(as_owner.post(f"/orga/campagnes/{campaign.pk}/participants/{pk}/supprimer/", CONFIRMED))


# The confirmation


def test_page_says_what_deleting_does(as_owner, lea):
    doc = document(as_owner.get(_url(lea)))
    assert text(element(doc, "h1")) == "Supprimer la participation de Léa Martin"
    warning = text(element(doc, "section", class_="card--warning"))
    assert (
        "Cette participation et ses envois ne seront plus comptés dans l'activité, les résultats ni l'export."
        in warning
    )
    assert "Léa Martin ne pourra plus rejoindre cette campagne." in warning
    checkbox = element(doc, "input", name="confirm")
    assert (
        text(element(doc, "label", **{"for": attr(checkbox, "id")}))
        == "Je confirme la suppression de cette participation."
    )


def test_unticked_box_deletes_nothing_and_says_so_next_to_it(as_owner, lea):
    response = as_owner.post(_url(lea), UNTICKED)
    doc = document(response)
    assert field_errors(doc, "confirm") == ["Cochez la case pour confirmer la suppression."]
    assert attr(element(doc, "input", name="confirm"), "aria-describedby") == "id_confirm_error"
    assert title(doc).startswith(fr("Erreur : "))
    assert not _is_deleted(lea)


def test_already_deleted_participation_is_404(as_owner, lea):
    as_owner.post(_url(lea), CONFIRMED)
    assert_not_found(as_owner.get(_url(lea)))


# The pupil leaves every count, list and export


def test_deleted_pupil_leaves_the_activity(as_owner, lea):
    as_owner.post(_url(lea), CONFIRMED)
    doc = document(as_owner.get(lea.campaign.get_absolute_url()))
    stats = {
        text(element(stat, "p", class_="stat__label")): text(element(stat, "p", class_="stat__value"))
        for stat in elements(doc, "div", class_="stat")
    }
    assert (stats["Total de participants"], stats["Profils reçus"]) == ("1", "1")
    participants = element(by_id(doc, "participants-table"), "table")
    assert [row["Nom"] for row in table_rows(participants)] == ["Durand"]
    classes = element(element(doc, "section", aria_labelledby="classes-title"), "table")
    assert [(row["Participants"], row["Profils reçus"]) for row in table_rows(classes)] == [("1", "1")]


def test_deleted_pupil_leaves_the_results_and_their_count(as_owner, lea):
    as_owner.post(_url(lea), CONFIRMED)
    response = as_owner.get(reverse("campaigns:results", args=[lea.campaign_id]))
    doc = document(response)
    assert [row["Nom"] for row in table_rows(element(doc, "table", class_="results"))] == ["Durand"]
    assert "Résultats (1)" in [text(link) for link in elements(doc, "a")]
    assert text(by_id(doc, "results-count")) == "1 participant"


def test_deleted_pupil_leaves_the_export_and_the_campaign_list_counts(as_owner, lea):
    as_owner.post(_url(lea), CONFIRMED)
    body = b"".join(as_owner.get(reverse("campaigns:export", args=[lea.campaign_id])).streaming_content)
    header, *rows = csv.reader(io.StringIO(body.decode()[len(BOM) :]), delimiter=";")
    assert [row[header.index("Nom du Participant")] for row in rows] == ["Durand"]
    listed = table_rows(element(document(as_owner.get(reverse("campaigns:list"))), "table"))
    assert [(row["Participants"], row["Profils reçus"]) for row in listed] == [("1", "1")]


def test_deleted_pupil_is_told_on_the_landing_page_and_cannot_join_again(as_owner, lea, login, pupil):
    as_owner.post(_url(lea), CONFIRMED)
    as_pupil = login(pupil)
    landing = document(as_pupil.get(lea.campaign.get_join_url()))
    assert text(element(landing, "p", role="alert")) == fr(DELETED)
    assert not [button for button in elements(landing, "button") if text(button) == fr("C'est parti !")]
    again = as_pupil.post(lea.campaign.get_join_url(), follow=True)
    assert fr(DELETED) in page_text(again)
    assert Participation.objects.filter(learner=lea.learner).count() == 1
    assert fr(DELETED) in page_text(as_pupil.get(reverse("pupil:send", args=[lea.campaign.code])))
    assert lea.campaign.name not in page_text(as_pupil.get(reverse("pupil:home")))


def test_deleting_a_pupil_who_sent_twice_removes_all_his_sendings(as_owner, campaign, pupil):
    campaign_change(campaign, multiple_sendings=True)
    learner = pupil.learners.get()
    first = send(campaign, learner)
    latest = send(campaign, learner)
    as_owner.post(_url(first), CONFIRMED)
    assert _is_deleted(first) and _is_deleted(latest)
    campaign.refresh_from_db()
    assert (campaign.participants_count, campaign.received_count) == (0, 0)


def test_pending_participation_may_be_deleted_too(as_owner, campaign):
    pending = ParticipationFactory(campaign=campaign, learner__last_name="Fabre", learner__first_name="Zoé")
    doc = document(as_owner.get(_url(pending)))
    assert "ses envois" not in text(element(doc, "section", class_="card--warning"))
    as_owner.post(_url(pending), CONFIRMED)
    assert _is_deleted(pending)
    activity = document(as_owner.get(campaign.get_absolute_url()))
    assert text(by_id(activity, "participants-count")) == "0 participant"
    assert not list(elements(by_id(activity, "participants-table"), "table"))
