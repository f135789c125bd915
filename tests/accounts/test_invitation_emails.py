"""Invitation e-mails through a real SMTP server (tests/smtp.py): what arrives, and what a refusal
leaves behind. The requests commit for real, so the e-mails leave as in production: after the commit."""

import pytest
from django.urls import reverse

from accounts.models import Invitation, Membership
from tests.accounts.conftest import link_path
from tests.pages import page_text

# serialized_rollback, as every transactional test of the suite: the flush after a test then keeps the
# content types that a later serialized test reloads (tests/e2e).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _invite(client, emails, role="MEMBER"):
    return client.post(reverse("team_invite"), {"emails": emails, "role": role}, follow=True)


def test_the_invitation_arrives_by_smtp_with_a_link_that_lets_the_person_join(
    smtp_server, client, teacher, organization
):
    teacher.first_name, teacher.last_name = "Claire", "Bernard"
    teacher.save()
    client.force_login(teacher)

    page = _invite(client, "anne.dupont@example.org")

    assert "Une invitation a été envoyée à anne.dupont@example.org." in page_text(page)
    (message,) = smtp_server.messages
    # Python folds the encoded header onto a continuation line; mail clients strip that whitespace.
    assert message["Subject"].strip() == "Invitation à rejoindre l'équipe de Lycée Victor Hugo sur pixorga"
    assert message["To"] == "anne.dupont@example.org"
    assert smtp_server.envelopes[0].rcpt_tos == ["anne.dupont@example.org"]
    assert message["Reply-To"] == teacher.email
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Claire Bernard vous invite à rejoindre l'équipe de Lycée Victor Hugo (0061234A)" in text
    assert "en tant que membre" in text
    assert "valable 7 jours" in text
    path = link_path(text)
    assert f'href="http://testserver{path}"' in html

    invitation = Invitation.objects.get()
    assert (invitation.status, invitation.send_count, invitation.sent_at is not None) == ("PENDING", 1, True)

    client.logout()
    client.post(path, {"first_name": "Anne", "last_name": "Dupont", "password": "un-long-mot-de-passe"})
    membership = Membership.objects.get(user__email="anne.dupont@example.org")
    assert (membership.organization, membership.role) == (organization, "MEMBER")


def test_several_addresses_make_several_emails_each_with_its_own_link(smtp_server, client, teacher):
    client.force_login(teacher)

    _invite(client, "anne@example.org\npaul@example.org, marc@example.org", role="ADMIN")

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "anne@example.org",
        "marc@example.org",
        "paul@example.org",
    ]
    links = {link_path(m.get_body(("plain",)).get_content()) for m in smtp_server.messages}
    assert len(links) == 3
    assert all(
        "en tant qu'administrateur" in m.get_body(("plain",)).get_content() for m in smtp_server.messages
    )


def test_a_refused_email_is_recorded_as_failed_and_renvoyer_retries_it(smtp_server, client, teacher):
    client.force_login(teacher)
    smtp_server.refuse("550 5.1.1 Adresse inconnue")

    page = _invite(client, "anne@example.org")

    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.FAILED
    assert "550" in invitation.last_error
    assert smtp_server.messages == []
    text = page_text(page)
    assert "L'e-mail n'a pas pu être envoyé à anne@example.org." in text
    assert "Échec d'envoi" in text

    smtp_server.accept()
    page = client.post(reverse("team_invitation_resend", args=[invitation.pk]), follow=True)

    invitation.refresh_from_db()
    assert (invitation.status, invitation.send_count, invitation.last_error) == ("PENDING", 1, "")
    (message,) = smtp_server.messages
    assert message["To"] == "anne@example.org"
    assert "Une invitation a été envoyée à anne@example.org." in page_text(page)
    assert "Échec d'envoi" not in page_text(page)


def test_a_mail_server_that_cannot_be_reached_is_a_failed_sending_too(settings, client, teacher):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    client.force_login(teacher)

    page = _invite(client, "anne@example.org")

    assert page.status_code == 200
    assert Invitation.objects.get().status == Invitation.Status.FAILED


def test_a_resent_invitation_disables_the_first_link(smtp_server, client, teacher):
    client.force_login(teacher)
    _invite(client, "anne@example.org")
    invitation = Invitation.objects.get()
    client.post(reverse("team_invitation_resend", args=[invitation.pk]))

    first, second = (link_path(m.get_body(("plain",)).get_content()) for m in smtp_server.messages)
    client.logout()

    assert first != second
    assert "Lien d'invitation remplacé" in page_text(client.get(first))
    assert "Créer votre compte" in page_text(client.get(second))
