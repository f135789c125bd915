import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.factories import UserFactory
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "identifier", ["lea.martin1403", "LEA.MARTIN1403", "lea@example.org", " Lea@Example.org "]
)
def test_login_with_username_or_email(client, identifier):
    UserFactory(username="lea.martin1403", email="lea@example.org")
    response = client.post(reverse("login"), {"username": identifier, "password": "motdepasse-de-test"})
    assert response.status_code == 302


def test_wrong_password_gives_a_french_message(client):
    UserFactory(username="lea")
    response = client.post(reverse("login"), {"username": "lea", "password": "faux"})
    assert "L'identifiant ou le mot de passe est incorrect." in page_text(response)


def test_teacher_lands_on_campaigns_and_pupil_on_his_home(client, teacher, pupil):
    assert client.post(reverse("login"), {"username": teacher.username, "password": "motdepasse-de-test"})[
        "Location"
    ] == reverse("campaigns:list")
    client.logout()
    assert client.post(reverse("login"), {"username": pupil.username, "password": "motdepasse-de-test"})[
        "Location"
    ] == reverse("pupil:home")


def test_login_refuses_a_next_url_on_another_site(client, pupil):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": pupil.username, "password": "motdepasse-de-test"},
    )
    assert response["Location"] == reverse("pupil:home")


SIGNUP = {
    "first_name": "Paul",
    "last_name": "Durand",
    "email": "paul@example.org",
    "password1": "un-mot-de-passe-long",
    "password2": "un-mot-de-passe-long",
}


def test_signup_creates_an_inactive_account_activated_by_the_emailed_link(client, campaign):
    response = client.post(reverse("signup"), {**SIGNUP, "next": campaign.get_join_url()})
    assert response["Location"] == reverse("signup_sent")
    user = get_user_model().objects.get(email="paul@example.org")
    assert (user.first_name, user.last_name, user.is_active) == ("Paul", "Durand", False)
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/inscription/activer/\S+)", message.body).group(1)

    assert "J'active mon compte" in page_text(client.get(link))
    user.refresh_from_db()
    assert not user.is_active, "opening the link (a mail scanner does) activates nothing"
    response = client.post(link, {"next": campaign.get_join_url()})
    assert response["Location"] == campaign.get_join_url()
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("pupil:home")).status_code == 200
    assert client.post(link).status_code == 404, "the link works once"


def test_signup_with_a_known_email_answers_the_same_and_warns_the_owner_by_email(client):
    owner = UserFactory(email="paul@example.org", first_name="Paule")
    known = client.post(reverse("signup"), {**SIGNUP, "email": "PAUL@example.org"}, follow=True)
    new = client.post(reverse("signup"), {**SIGNUP, "email": "pierre@example.org"}, follow=True)

    assert known.redirect_chain == new.redirect_chain == [(reverse("signup_sent"), 302)]
    without_token = re.compile(r'"X-CSRFToken": "\w+"')
    assert without_token.sub("", page_text(known)) == without_token.sub("", page_text(new))
    assert "Vérifiez votre boîte mail" in page_text(known)
    owner.refresh_from_db()
    assert owner.first_name == "Paule"
    assert get_user_model().objects.filter(email__iexact="paul@example.org").count() == 1
    warning, activation = mail.outbox
    assert warning.to == ["paul@example.org"]
    assert "Un compte existe déjà avec cette adresse" in warning.body
    assert reverse("password_reset") in warning.body
    assert activation.to == ["pierre@example.org"]


def test_a_second_signup_before_activation_sends_the_activation_link_again(client):
    client.post(reverse("signup"), SIGNUP)
    other_password = {"password1": "autre-mot-de-passe", "password2": "autre-mot-de-passe"}
    client.post(reverse("signup"), {**SIGNUP, **other_password})
    first, second = mail.outbox
    assert "/inscription/activer/" in first.body and "/inscription/activer/" in second.body
    assert get_user_model().objects.get(email="paul@example.org").check_password("un-mot-de-passe-long")


@pytest.mark.parametrize("target", ["²", "-1", "https://evil.example/"])
def test_activation_with_a_strange_next_still_logs_in(client, target):
    client.post(reverse("signup"), SIGNUP)
    link = re.search(r"http://testserver(/inscription/activer/\S+)", mail.outbox[0].body).group(1)
    response = client.post(link, {"next": target})
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil")
    assert client.get(reverse("pupil:home")).status_code == 200


def test_an_activation_link_with_a_wrong_token_or_id_activates_nothing(client):
    user = UserFactory(is_active=False)
    for link in ("/inscription/activer/MQ/faux-jeton/", "/inscription/activer/%C2%B2/x/"):
        response = client.post(link)
        assert response.status_code == 404
        assert "Ce lien n'est plus valable" in page_text(response)
    user.refresh_from_db()
    assert not user.is_active


def test_two_accounts_cannot_share_an_email_in_the_database():
    UserFactory(email="paul@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(email="Paul@Example.org")


def test_many_accounts_may_have_no_email():
    UserFactory(email="")
    UserFactory(email="")
    assert get_user_model().objects.filter(email="").count() == 2


def test_password_reset_by_email(client):
    user = UserFactory(email="paul@example.org")
    client.post(reverse("password_reset"), {"email": "paul@example.org"})
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/mot-de-passe/nouveau/\S+)", message.body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "encore-un-mot-de-passe", "new_password2": "encore-un-mot-de-passe"},
    )
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("encore-un-mot-de-passe")


def test_home_sends_everyone_to_the_right_place(client, teacher, pupil):
    assert client.get("/")["Location"] == reverse("login")
    client.force_login(teacher)
    assert client.get("/")["Location"] == reverse("campaigns:list")
    client.force_login(pupil)
    assert client.get("/")["Location"] == reverse("pupil:home")


def test_logout_is_a_post(client, pupil):
    client.force_login(pupil)
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
