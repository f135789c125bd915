"""« Création d'une campagne »: any member creates one for his organization; the objective, the sending
rule and the external id are chosen here once."""

import pytest
from django.urls import reverse

from campaigns.forms import SENSITIVE_DATA_WARNING
from campaigns.models import Campaign

from .checks import NOT_A_MEMBER, assert_forbidden, assert_method_not_allowed, assert_sent_to_login, fr
from .html import attr, by_id, document, element, elements, field_errors, messages, text, title

pytestmark = pytest.mark.django_db

URL = reverse("campaigns:create")


def _form(owner_user, **changes):
    data = {
        "name": "Collecte des profils au 23.09.21",
        "type": "PROFILES_COLLECTION",
        "owner": owner_user.pk,
        "multiple_sendings": "non",
        "asks_external_id": "non",
        "custom_landing_page_text": "",
    }
    data.update(changes)
    return data


# Who may create


def test_member_who_is_not_an_admin_creates_a_campaign_and_lands_on_it(as_owner, owner, organization):
    response = as_owner.post(URL, _form(owner, multiple_sendings="oui"), follow=True)
    campaign = Campaign.objects.get()
    assert response.redirect_chain == [(campaign.get_absolute_url(), 302)]
    assert (campaign.organization, campaign.creator, campaign.owner) == (organization, owner, owner)
    assert campaign.multiple_sendings and campaign.type == Campaign.Type.PROFILES_COLLECTION
    assert campaign.code.isascii() and len(campaign.code) == 9
    doc = document(response)
    assert messages(doc) == [fr(f"La campagne « {campaign.name} » est créée. Son code : {campaign.code}.")]
    assert text(by_id(doc, "campaign-code")) == campaign.code
    assert attr(by_id(doc, "campaign-link"), "href") == f"http://testserver/campagnes/{campaign.code}"
    qr = element(element(doc, "section", aria_labelledby="qr-title"), "svg")
    assert text(element(qr, "title")) == "QR code du lien direct de la campagne"


def test_admin_creates_a_campaign_owned_by_a_colleague(as_admin, admin, owner):
    as_admin.post(URL, _form(owner))
    campaign = Campaign.objects.get()
    assert (campaign.creator, campaign.owner) == (admin, owner)


def test_owner_must_be_a_member_of_the_organization(as_owner, stranger):
    doc = document(as_owner.post(URL, _form(stranger)))
    assert field_errors(doc, "owner") == ["Choisissez un membre de votre organisation comme propriétaire."]
    assert not Campaign.objects.exists()


def test_owner_list_offers_only_members_of_the_organization(as_owner, owner, admin, member, stranger):
    select = element(document(as_owner.get(URL)), "select", name="owner")
    offered = {attr(option, "value") for option in elements(select, "option")} - {""}
    assert offered == {str(owner.pk), str(admin.pk), str(member.pk)}
    assert text(element(select, "option", selected=True)) == "Olivier Dumont"


def test_pupil_without_membership_gets_403_and_creates_nothing(as_pupil, pupil):
    assert_forbidden(as_pupil.post(URL, _form(pupil)), NOT_A_MEMBER)
    assert not Campaign.objects.exists()


def test_anonymous_visitor_is_sent_to_login_and_creates_nothing(client, owner):
    assert_sent_to_login(client.post(URL, _form(owner)), URL)
    assert not Campaign.objects.exists()


def test_put_is_405_and_creates_nothing(as_owner, owner):
    assert_method_not_allowed(as_owner.put(URL), "GET", "POST")
    assert not Campaign.objects.exists()


# The form


def test_form_asks_the_guide_questions_with_every_input_labelled(as_owner):
    doc = document(as_owner.get(URL))
    assert title(doc) == "Création d'une campagne · pixorga"
    legends = [text(legend) for legend in elements(doc, "legend")]
    assert fr("Quel est l'objectif de votre campagne ?") + " *" in legends
    assert fr("Le participant peut-il envoyer plusieurs fois son profil ?") + " *" in legends
    assert fr("Souhaitez-vous demander un identifiant externe aux participants ?") + " *" in legends
    labelled = {attr(label, "for") for label in elements(doc, "label")}
    form = element(doc, "form", class_="form")
    for control in [*elements(form, "input"), *elements(form, "select"), *elements(form, "textarea")]:
        if attr(control, "type") != "hidden":
            assert attr(control, "id") in labelled, control


def test_form_warns_never_to_ask_for_the_social_security_number(as_owner):
    warning = by_id(document(as_owner.get(URL)), "external-id-warning")
    assert text(warning) == SENSITIVE_DATA_WARNING
    assert "numéro de sécurité sociale (NIR)" in SENSITIVE_DATA_WARNING


def test_landing_text_is_kept_as_markdown(as_owner, owner):
    as_owner.post(URL, _form(owner, custom_landing_page_text="**Avant vendredi**"))
    assert Campaign.objects.get().custom_landing_page_text == "**Avant vendredi**"


# External id


@pytest.mark.parametrize(
    ("kind", "label"), [("EMAIL", "Adresse e-mail de l'ENT"), ("STRING", "Numéro d'élève")]
)
def test_external_id_is_asked_with_its_type_and_label(as_owner, owner, kind, label):
    as_owner.post(URL, _form(owner, asks_external_id="oui", external_id_type=kind, external_id_label=label))
    campaign = Campaign.objects.get()
    assert (campaign.external_id_type, campaign.external_id_label) == (kind, label)


def test_external_id_without_type_or_label_is_refused_next_to_each_field(as_owner, owner):
    response = as_owner.post(URL, _form(owner, asks_external_id="oui", external_id_label="  "))
    doc = document(response)
    assert field_errors(doc, "external_id_type") == ["Choisissez le type de l'identifiant externe."]
    assert field_errors(doc, "external_id_label") == ["Donnez un libellé à l'identifiant externe."]
    assert title(doc).startswith(fr("Erreur : "))
    assert not Campaign.objects.exists()


def test_answering_no_drops_a_type_and_label_typed_before(as_owner, owner):
    as_owner.post(
        URL, _form(owner, asks_external_id="non", external_id_type="EMAIL", external_id_label="Mail")
    )
    campaign = Campaign.objects.get()
    assert (campaign.external_id_type, campaign.external_id_label) == ("", "")


# Errors


def test_errors_are_in_french_tied_to_their_fields_and_named_in_the_title(as_owner, owner):
    response = as_owner.post(URL, _form(owner, name="", type=""))
    doc = document(response)
    assert response.status_code == 200
    assert title(doc) == fr("Erreur : Création d'une campagne · pixorga")
    assert field_errors(doc, "name") == ["Veuillez donner un nom à la campagne."]
    assert attr(element(doc, "input", name="name"), "aria-describedby") == "id_name_error"
    assert field_errors(doc, "type") == ["Veuillez choisir l'objectif de la campagne."]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ""}, "Le formulaire contient 1 erreur : corrigez-la ci-dessous."),
        ({"name": "", "type": ""}, "Le formulaire contient 2 erreurs : corrigez-les ci-dessous."),
    ],
)
def test_error_summary_agrees_with_the_number_of_errors(as_owner, owner, changes, expected):
    alert = element(document(as_owner.post(URL, _form(owner, **changes))), "div", role="alert")
    assert text(alert) == fr(expected)


def test_what_was_typed_is_kept_when_the_form_is_refused(as_owner, owner):
    doc = document(as_owner.post(URL, _form(owner, type="", custom_landing_page_text="Avant vendredi")))
    assert attr(element(doc, "input", name="name"), "value") == "Collecte des profils au 23.09.21"
    assert text(element(doc, "textarea", name="custom_landing_page_text")) == "Avant vendredi"


def test_assessment_objective_needs_a_target_profile(as_owner, owner):
    doc = document(as_owner.post(URL, _form(owner, type="ASSESSMENT")))
    assert field_errors(doc, "sujets") == ["Choisissez au moins une compétence ou un sujet à évaluer."]
    assert field_errors(doc, "competences") == ["Choisissez au moins une compétence ou un sujet à évaluer."]
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("owner_value", ["²", "1" * 30, "abc"])
def test_malformed_owner_is_refused_without_a_500(as_owner, owner, owner_value):
    doc = document(as_owner.post(URL, _form(owner, owner=owner_value)))
    assert field_errors(doc, "owner")
    assert not Campaign.objects.exists()


def test_name_longer_than_the_column_is_refused(as_owner, owner):
    doc = document(as_owner.post(URL, _form(owner, name="x" * 10_000)))
    assert field_errors(doc, "name")
    assert not Campaign.objects.exists()
