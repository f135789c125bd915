"""The domain of invitations (accounts/invitations.py): the address list, the signed link and its
refusals, creation all or nothing, resend, cancel, acceptance."""

import smtplib
import types

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django_scopes import ScopeError
from django_scopes.state import state

from accounts import invitations
from accounts.factories import InvitationFactory, MembershipFactory, UserFactory
from accounts.invitations import (
    AlreadyMemberError,
    CancelledLinkError,
    ExpiredLinkError,
    ForeignLinkError,
    InvalidLinkError,
    ReplacedLinkError,
    UsedLinkError,
    invitation_from_token,
    invitation_token,
    parse_email_list,
)
from accounts.models import Invitation, Membership

pytestmark = pytest.mark.django_db

SITE = "https://pixorga.example.fr/"


# The addresses typed in the form


def test_addresses_may_be_separated_by_commas_semicolons_spaces_or_new_lines():
    text = "anne@example.org, paul@example.org;marc@example.org\n\nlea@example.org  zoe@example.org\t"
    valid, malformed = parse_email_list(text)
    assert valid == [
        "anne@example.org",
        "paul@example.org",
        "marc@example.org",
        "lea@example.org",
        "zoe@example.org",
    ]
    assert malformed == []


def test_addresses_are_lower_cased_and_each_kept_once():
    assert parse_email_list("Anne@Example.org anne@example.org ANNE@EXAMPLE.ORG") == (
        ["anne@example.org"],
        [],
    )


def test_malformed_pieces_are_listed_as_typed():
    valid, malformed = parse_email_list("anne@example.org, paul@, @example.org, marc.example.org, paul@")
    assert valid == ["anne@example.org"]
    assert malformed == ["paul@", "@example.org", "marc.example.org"]


def test_an_empty_text_holds_no_address():
    assert parse_email_list(" ,\n ; ") == ([], [])


# Creation


def _create(organization, emails, role=Membership.Role.MEMBER, by=None):
    return invitations.invitations_create(
        organization=organization, emails=emails, role=role, invited_by=by, site_url=SITE
    )


def test_each_address_gets_an_open_invitation_with_the_role(organization, teacher):
    created = _create(organization, ["anne@example.org", "paul@example.org"], Membership.Role.ADMIN, teacher)
    rows = Invitation.objects.filter(organization=organization).order_by("email")
    assert [(i.email, i.role, i.status, i.invited_by) for i in rows] == [
        ("anne@example.org", "ADMIN", "PENDING", teacher),
        ("paul@example.org", "ADMIN", "PENDING", teacher),
    ]
    assert {i.pk for i in created} == {i.pk for i in rows}


def test_inviting_an_invited_address_again_refreshes_its_invitation(organization):
    first = InvitationFactory(organization=organization, email="anne@example.org", status="FAILED")
    old_key = first.key

    (again,) = _create(organization, ["anne@example.org"], Membership.Role.ADMIN)

    assert again.pk == first.pk
    first.refresh_from_db()
    assert (first.role, first.status) == ("ADMIN", "PENDING")
    assert first.key != old_key
    assert Invitation.objects.filter(organization=organization).count() == 1


def test_a_member_in_the_list_refuses_the_whole_list(organization):
    MembershipFactory(organization=organization, user=UserFactory(email="Paul.Durand@Example.org"))

    with pytest.raises(AlreadyMemberError) as refusal:
        _create(organization, ["anne@example.org", "paul.durand@example.org"])

    assert str(refusal.value) == (
        "paul.durand@example.org fait déjà partie de l'équipe\u00a0: retirez-la de la liste. "
        "Aucune invitation n'a été envoyée."
    )
    assert not Invitation.objects.exists()


def test_a_member_of_another_organization_may_be_invited(organization):
    MembershipFactory(user=UserFactory(email="paul@example.org"))
    _create(organization, ["paul@example.org"])
    assert Invitation.objects.filter(organization=organization, email="paul@example.org").exists()


def test_the_database_holds_one_open_invitation_per_address_and_organization(organization):
    InvitationFactory(organization=organization, email="anne@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        InvitationFactory(organization=organization, email="Anne@example.org")
    InvitationFactory(organization=organization, email="anne@example.org", status="CANCELLED")


# The link


def test_the_link_opens_its_invitation():
    invitation = InvitationFactory()
    assert invitation_from_token(invitation_token(invitation)) == invitation


@pytest.mark.parametrize(
    "token",
    ["", "nimportequoi", "1.abc:1tq0cQ:faux", "9" * 40, "1.abc\x00:x:y"],
)
def test_a_malformed_or_forged_link_is_invalid(token):
    InvitationFactory()
    with pytest.raises(InvalidLinkError):
        invitation_from_token(token)


def test_a_link_signed_for_another_purpose_is_invalid():
    invitation = InvitationFactory()
    token = signing.TimestampSigner(salt="autre.chose").sign(f"{invitation.pk}.{invitation.key}")
    with pytest.raises(InvalidLinkError):
        invitation_from_token(token)


def test_the_link_of_a_deleted_invitation_is_invalid():
    invitation = InvitationFactory()
    token = invitation_token(invitation)
    invitation.delete()
    with pytest.raises(InvalidLinkError):
        invitation_from_token(token)


def _days_later(monkeypatch, days):
    now = signing.time.time()
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: now + days * 86400))


def test_the_link_expires_after_the_setting(settings, monkeypatch):
    settings.INVITATION_MAX_AGE_DAYS = 3
    invitation = InvitationFactory()
    token = invitation_token(invitation)

    _days_later(monkeypatch, 2.9)
    assert invitation_from_token(token) == invitation
    _days_later(monkeypatch, 3.1)
    with pytest.raises(ExpiredLinkError, match="il n'est valable que 3 jours"):
        invitation_from_token(token)


def test_a_resend_replaces_the_link():
    invitation = InvitationFactory()
    old = invitation_token(invitation)
    invitations.invitation_resend(invitation=invitation, site_url=SITE)
    invitation.refresh_from_db()

    with pytest.raises(ReplacedLinkError):
        invitation_from_token(old)
    assert invitation_from_token(invitation_token(invitation)) == invitation


def test_a_cancelled_invitation_refuses_its_link():
    invitation = InvitationFactory()
    token = invitation_token(invitation)
    invitations.invitation_cancel(invitation=invitation)
    with pytest.raises(CancelledLinkError):
        invitation_from_token(token)
    assert Invitation.objects.get().status == Invitation.Status.CANCELLED


def test_an_accepted_invitation_refuses_its_link_a_second_time():
    invitation = InvitationFactory(email="anne@example.org")
    token = invitation_token(invitation)
    invitations.invitation_accept(invitation=invitation, user=UserFactory(email="anne@example.org"))
    with pytest.raises(UsedLinkError):
        invitation_from_token(token)


# Acceptance


def test_accepting_makes_the_invited_person_a_member_with_the_role(organization):
    invitation = InvitationFactory(organization=organization, email="anne@example.org", role="ADMIN")
    anne = UserFactory(email="Anne@Example.org")

    membership, created = invitations.invitation_accept(invitation=invitation, user=anne)

    assert created
    assert (membership.organization, membership.user, membership.role) == (organization, anne, "ADMIN")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == ("ACCEPTED", anne)


def test_another_person_cannot_accept_and_nothing_changes(organization):
    invitation = InvitationFactory(organization=organization, email="anne@example.org")
    with pytest.raises(ForeignLinkError, match=r"destinée à anne@example\.org"):
        invitations.invitation_accept(invitation=invitation, user=UserFactory(email="paul@example.org"))
    assert not Membership.objects.filter(organization=organization).exists()
    assert Invitation.objects.get().status == "PENDING"


def test_a_link_replaced_after_it_was_opened_cannot_be_accepted(organization):
    opened = invitation_from_token(invitation_token(InvitationFactory(email="anne@example.org")))
    invitations.invitation_resend(invitation=opened, site_url=SITE)
    with pytest.raises(ReplacedLinkError):
        invitations.invitation_accept(invitation=opened, user=UserFactory(email="anne@example.org"))
    assert not Membership.objects.exists()


def test_accepting_with_a_new_account_creates_it_with_the_invited_address(organization):
    invitation = InvitationFactory(organization=organization, email="anne@example.org")

    user, membership = invitations.invitation_accept_new_account(
        invitation=invitation, first_name="Anne", last_name="Dupont", password="un-long-mot-de-passe"
    )

    assert (user.username, user.email, user.first_name, user.last_name) == (
        "anne@example.org",
        "anne@example.org",
        "Anne",
        "Dupont",
    )
    assert user.check_password("un-long-mot-de-passe")
    assert membership.organization == organization


def test_a_new_account_is_refused_when_the_address_has_one_and_nothing_is_created(organization):
    invitation = InvitationFactory(organization=organization, email="anne@example.org")
    UserFactory(email="ANNE@example.org")
    with pytest.raises(invitations.AccountExistsError):
        invitations.invitation_accept_new_account(
            invitation=invitation, first_name="Anne", last_name="Dupont", password="un-long-mot-de-passe"
        )
    assert not Membership.objects.exists()
    assert Invitation.objects.get().status == "PENDING"


def test_resending_to_someone_who_joined_meanwhile_is_refused(organization):
    invitation = InvitationFactory(organization=organization, email="anne@example.org")
    MembershipFactory(organization=organization, user=UserFactory(email="anne@example.org"))
    with pytest.raises(AlreadyMemberError, match="inutile de lui renvoyer l'invitation"):
        invitations.invitation_resend(invitation=invitation, site_url=SITE)


@pytest.mark.parametrize("status", ["ACCEPTED", "CANCELLED"])
def test_a_closed_invitation_can_be_neither_resent_nor_cancelled(status):
    invitation = InvitationFactory(status=status)
    with pytest.raises(invitations.InvitationClosedError):
        invitations.invitation_resend(invitation=invitation, site_url=SITE)
    with pytest.raises(invitations.InvitationClosedError):
        invitations.invitation_cancel(invitation=invitation)
    assert Invitation.objects.get().status == status


# Sending


def test_invitations_are_scoped_to_their_organization():
    token = state.set(None)
    try:
        with pytest.raises(ScopeError):
            list(Invitation.objects.all())
    finally:
        state.reset(token)


def test_a_rolled_back_invitation_sends_nothing(organization, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _create(organization, ["anne@example.org"])
        raise RuntimeError
    assert callbacks == []
    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_the_email_leaves_after_the_commit_and_is_recorded(organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = _create(organization, ["anne@example.org"])
        assert mail.outbox == []
    (message,) = mail.outbox
    assert message.to == ["anne@example.org"]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.send_count) == ("PENDING", 1)


@pytest.mark.parametrize("status", ["ACCEPTED", "CANCELLED"])
def test_a_closed_invitation_is_not_sent(status):
    invitation = InvitationFactory(status=status)
    assert invitations.invitation_deliver(invitation_id=invitation.pk, site_url=SITE) is False
    assert mail.outbox == []


def test_a_failure_of_an_older_sending_does_not_mark_a_newer_one(monkeypatch):
    """A slow sending fails after the admin has already clicked « Renvoyer »: the new sending stands."""
    invitation = InvitationFactory()
    build = invitations.invitation_email

    def resent_meanwhile(current, *, site_url):
        Invitation.objects.filter(pk=current.pk).update(key="cle-du-nouvel-envoi")
        message = build(current, site_url=site_url)
        message.send = lambda: (_ for _ in ()).throw(smtplib.SMTPServerDisconnected("coupure"))
        return message

    monkeypatch.setattr(invitations, "invitation_email", resent_meanwhile)
    assert invitations.invitation_deliver(invitation_id=invitation.pk, site_url=SITE) is False
    assert Invitation.objects.get().status == "PENDING"
