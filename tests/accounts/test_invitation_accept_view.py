"""The link of an invitation e-mail (/invitation/<token>/): a new account, a login, or one click; and a
clear French page that changes nothing for an invalid, expired, reused, cancelled or foreign link."""

import types
from urllib.parse import urlencode

import pytest
from django.core import signing
from django.urls import reverse

from accounts.factories import InvitationFactory, MembershipFactory, UserFactory
from accounts.invitations import invitation_token
from accounts.models import Invitation, Membership, User
from accounts.selectors import SESSION_KEY
from tests.accounts.typography import typography_faults
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SIGNUP = {"first_name": "Anne", "last_name": "Dupont", "password": "un-long-mot-de-passe"}


@pytest.fixture
def invitation(organization, teacher):
    teacher.first_name, teacher.last_name = "Claire", "Bernard"
    teacher.save()
    return InvitationFactory(organization=organization, email="anne@example.org", invited_by=teacher)


def _url(invitation):
    return reverse("invitation_accept", args=[invitation_token(invitation)])


def _nothing_changed(organization):
    assert not Membership.objects.filter(organization=organization, user__email="anne@example.org").exists()
    assert not User.objects.filter(email="anne@example.org", memberships__isnull=False).exists()


# A person without an account


def test_a_newcomer_sees_who_invites_him_and_a_short_form(client, invitation):
    response = client.get(_url(invitation))
    text = page_text(response)
    assert "Rejoindre l'équipe de Lycée Victor Hugo (0061234A)" in text
    assert (
        "Claire Bernard vous invite à rejoindre l'équipe de Lycée Victor Hugo sur pixorga en tant que membre."
        in text
    )
    assert "Votre identifiant de connexion sera l'adresse <strong>anne@example.org</strong>." in text
    for name in ("first_name", "last_name", "password"):
        assert f'name="{name}"' in text
    assert 'name="email"' not in text
    assert typography_faults(response.content.decode()) == []


def test_a_newcomer_creates_his_account_and_joins_the_team(client, invitation, organization):
    response = client.post(_url(invitation), SIGNUP, follow=True)

    user = User.objects.get(email="anne@example.org")
    assert (user.first_name, user.last_name, user.username) == ("Anne", "Dupont", "anne@example.org")
    assert Membership.objects.get(user=user).organization == organization
    assert response.redirect_chain[-1][0] == reverse("campaigns:list")
    assert (
        "Votre compte est créé et vous faites partie de l'équipe de Lycée Victor Hugo. Bienvenue\u00a0!"
        in page_text(response)
    )
    assert client.session[SESSION_KEY] == organization.pk
    assert Invitation.objects.get().status == "ACCEPTED"
    # The new account logs in with the invited address.
    client.logout()
    login = client.post(reverse("login"), {"username": "anne@example.org", "password": SIGNUP["password"]})
    assert login["Location"] == reverse("campaigns:list")


def test_the_invited_role_is_given(client, organization):
    invitation = InvitationFactory(organization=organization, email="anne@example.org", role="ADMIN")
    client.post(_url(invitation), SIGNUP)
    assert Membership.objects.get(user__email="anne@example.org").role == "ADMIN"


def test_missing_fields_and_a_weak_password_are_told_on_their_fields(client, invitation, organization):
    response = client.post(
        _url(invitation), {"first_name": "", "last_name": "Dupont", "password": "12345678"}
    )
    text = page_text(response)
    assert "<title>Erreur\u00a0: Rejoindre l'équipe de Lycée Victor Hugo" in text
    assert "Saisissez votre prénom." in text
    assert 'id="id_first_name_error"' in text
    assert 'id="id_password_error"' in text
    assert "Ce mot de passe est entièrement numérique." in text
    assert 'value="Dupont"' in text
    _nothing_changed(organization)


def test_an_account_created_meanwhile_with_the_address_sends_to_login(client, invitation, organization):
    url = _url(invitation)
    client.get(url)
    UserFactory(email="anne@example.org")

    response = client.post(url, SIGNUP, follow=True)

    assert "Un compte pixorga existe déjà avec cette adresse." in page_text(response)
    assert not Membership.objects.filter(organization=organization, user__email="anne@example.org").exists()


# A person who has an account


def test_a_person_with_an_account_is_asked_to_log_in_with_the_invited_address(client, invitation):
    UserFactory(email="Anne@Example.org")
    url = _url(invitation)
    text = page_text(client.get(url))
    assert (
        "Un compte pixorga existe déjà avec cette adresse. Connectez-vous avec l'adresse "
        "<strong>anne@example.org</strong>"
    ) in text
    assert f'href="{reverse("login")}?{urlencode({"next": url})}"' in text
    assert 'name="password"' not in text


def test_a_newcomer_form_sent_for_an_address_that_has_an_account_creates_nothing(
    client, invitation, organization
):
    UserFactory(email="anne@example.org")
    client.post(_url(invitation), SIGNUP)
    assert User.objects.filter(email__iexact="anne@example.org").count() == 1
    _nothing_changed(organization)


def test_logged_in_with_the_invited_address_he_joins_in_one_click(client, invitation, organization):
    anne = UserFactory(email="anne@example.org")
    client.force_login(anne)
    url = _url(invitation)

    assert "Rejoindre l'équipe</button>" in page_text(client.get(url))
    assert not Membership.objects.filter(user=anne).exists()

    response = client.post(url, follow=True)
    assert Membership.objects.get(user=anne).organization == organization
    assert "Bienvenue dans l'équipe de Lycée Victor Hugo\u00a0!" in page_text(response)


def test_logging_in_from_the_invitation_comes_back_to_it(client, invitation):
    UserFactory(username="anne", email="anne@example.org")
    url = _url(invitation)
    response = client.post(
        f"{reverse('login')}?next={url}", {"username": "anne@example.org", "password": "motdepasse-de-test"}
    )
    assert response["Location"] == url


def test_a_member_already_in_the_team_is_told_so(client, invitation, organization):
    anne = MembershipFactory(organization=organization, user=UserFactory(email="anne@example.org")).user
    client.force_login(anne)
    response = client.post(_url(invitation), follow=True)
    assert "Vous faites déjà partie de l'équipe de Lycée Victor Hugo." in page_text(response)
    assert Membership.objects.filter(user=anne).count() == 1


# Links that open nothing


def test_a_foreign_account_gets_a_clear_page_and_nothing_changes(client, invitation, organization):
    paul = UserFactory(email="paul@example.org")
    client.force_login(paul)
    url = _url(invitation)

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 403
        text = page_text(response)
        assert "<h1>Invitation destinée à une autre adresse</h1>" in text
        assert (
            "Cette invitation est destinée à anne@example.org, et vous êtes connecté avec le compte "
            "paul@example.org." in text
        )
        assert "Me déconnecter</button>" in text
    assert not Membership.objects.filter(user=paul, organization=organization).exists()
    assert Invitation.objects.get().status == "PENDING"


def test_the_foreign_page_logs_out_back_to_the_invitation(client, invitation):
    client.force_login(UserFactory(email="paul@example.org"))
    url = _url(invitation)
    response = client.post(reverse("logout"), {"next": url})
    assert response["Location"] == url
    assert "Créer votre compte" in page_text(client.get(url))


@pytest.mark.parametrize("token", ["nimportequoi", "12.abc:1tq0cQ:signature-fausse", "1" * 300])
def test_an_invalid_link_gets_a_clear_page(client, invitation, organization, token):
    for response in (client.get(f"/invitation/{token}/"), client.post(f"/invitation/{token}/", SIGNUP)):
        assert response.status_code == 400
        assert "Ce lien d'invitation n'est pas valide." in page_text(response)
    _nothing_changed(organization)


def test_an_expired_link_gets_a_clear_page(client, invitation, organization, monkeypatch):
    url = _url(invitation)
    later = signing.time.time() + 8 * 86400
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))

    response = client.post(url, SIGNUP)

    assert response.status_code == 410
    text = page_text(response)
    assert "<h1>Lien d'invitation expiré</h1>" in text
    assert "Ce lien d'invitation a expiré\u00a0: il n'est valable que 7 jours." in text
    assert typography_faults(response.content.decode()) == []
    _nothing_changed(organization)


def test_a_used_link_gets_a_clear_page(client, invitation, organization):
    url = _url(invitation)
    client.post(url, SIGNUP)
    client.logout()

    response = client.post(url, {**SIGNUP, "first_name": "Autre"})

    assert response.status_code == 410
    assert "Cette invitation a déjà été acceptée\u00a0: un lien ne sert qu'une fois." in page_text(response)
    assert User.objects.get(email="anne@example.org").first_name == "Anne"


def test_a_cancelled_link_gets_a_clear_page(client, invitation, organization):
    url = _url(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(status="CANCELLED")
    response = client.get(url)
    assert response.status_code == 410
    assert "Cette invitation à rejoindre Lycée Victor Hugo a été annulée" in page_text(response)
    client.post(url, SIGNUP)
    _nothing_changed(organization)


def test_a_replaced_link_gets_a_clear_page(client, invitation, organization):
    url = _url(invitation)
    Invitation.objects.filter(pk=invitation.pk).update(key="une-nouvelle-cle")
    response = client.post(url, SIGNUP)
    assert response.status_code == 410
    assert "Utilisez le lien du dernier e-mail reçu." in page_text(response)
    _nothing_changed(organization)


def test_wrong_method_is_refused(client, invitation):
    assert client.put(_url(invitation)).status_code == 405
