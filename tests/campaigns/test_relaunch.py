"""Step 6: relaunch the pupils who never joined, who did not send, or who are not certifiable."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.factories import MembershipFactory, OrganizationFactory
from accounts.models import Organization
from campaigns import relaunch
from campaigns.factories import CampaignFactory, ParticipationFactory
from campaigns.models import Relaunch, RelaunchRecipient
from campaigns.relaunch import Group, relaunch_candidates, relaunch_record
from students.factories import OrganizationLearnerFactory
from tests.campaigns.sendings import sent
from tests.pages import page_text

pytestmark = pytest.mark.django_db

FOUR = {"1.1": 8, "1.2": 8, "1.3": 8, "2.1": 8, "3.4": 7, "4.1": 2}


@pytest.fixture
def cast(campaign, organization):
    """A class of a school: one certifiable, one at 4 competences, one pending, one who never joined."""
    return {
        "certifiable": sent(campaign, last_name="Certifiable", division="2NDE1"),
        "four": sent(campaign, last_name="Quatre", division="2NDE1", pix=FOUR),
        "pending": ParticipationFactory(
            campaign=campaign, learner__last_name="Attente", learner__division="2NDE2"
        ),
        "absent": OrganizationLearnerFactory(organization=organization, last_name="Absent", division="2NDE2"),
    }


def _names(learners):
    return [learner.last_name for learner in learners]


def test_candidates_are_the_three_groups_by_class(campaign, cast):
    everyone = relaunch_candidates(campaign=campaign, groups=relaunch.relaunch_groups(campaign))
    assert _names(everyone) == ["Quatre", "Absent", "Attente"]
    assert _names(relaunch_candidates(campaign=campaign, groups=[Group.NOT_CERTIFIABLE])) == ["Quatre"]
    assert _names(relaunch_candidates(campaign=campaign, groups=[Group.PENDING])) == ["Attente"]
    assert _names(relaunch_candidates(campaign=campaign, groups=[Group.NEVER_JOINED])) == ["Absent"]
    assert _names(relaunch_candidates(campaign=campaign, groups=[Group.PENDING], divisions=["2NDE1"])) == []


def test_pupils_leaving_the_school_and_deleted_participations_are_never_chased(campaign, cast, teacher):
    from campaigns.services import participation_delete

    cast["absent"].is_disabled = True
    cast["absent"].save()
    participation_delete(participation=cast["pending"], user=teacher)
    groups = relaunch.relaunch_groups(campaign)
    assert _names(relaunch_candidates(campaign=campaign, groups=groups)) == ["Quatre"]


def test_a_campaign_without_roster_has_no_never_joined_group():
    organization = OrganizationFactory(type=Organization.Type.PRO)
    campaign = CampaignFactory(organization=organization)
    assert relaunch.relaunch_groups(campaign) == [Group.PENDING, Group.NOT_CERTIFIABLE]


def test_candidate_detail_says_what_is_missing_and_where_to_work(campaign, cast, teacher):
    rows = relaunch.candidates_detail(
        campaign=campaign,
        learners=relaunch_candidates(campaign=campaign, groups=[Group.NOT_CERTIFIABLE]),
        with_competences=True,
    )
    (row,) = rows
    assert (row.group, row.missing) == (Group.NOT_CERTIFIABLE, 1)
    assert row.work_on == ["Programmer"]


def test_relaunch_filters_never_and_already_chased(campaign, cast, teacher):
    relaunch_record(
        campaign=campaign,
        learners=[cast["four"].learner],
        channel=Relaunch.Channel.MESSAGE,
        message="Bonjour",
        user=teacher,
        join_url="http://testserver/x",
    )
    groups = relaunch.relaunch_groups(campaign)
    assert _names(relaunch_candidates(campaign=campaign, groups=groups, relaunched=True)) == ["Quatre"]
    assert _names(relaunch_candidates(campaign=campaign, groups=groups, relaunched=False)) == [
        "Absent",
        "Attente",
    ]
    (row,) = relaunch.candidates_detail(
        campaign=campaign, learners=relaunch_candidates(campaign=campaign, groups=groups, relaunched=True)
    )
    assert row.recently_relaunched


def test_relaunch_of_zero_pupils_is_refused(campaign, teacher):
    with pytest.raises(relaunch.RelaunchError, match="au moins un élève"):
        relaunch_record(
            campaign=campaign, learners=[], channel="MESSAGE", message="x", user=teacher, join_url=""
        )
    assert not Relaunch.objects.exists()


def test_default_message_holds_the_code_the_link_and_what_to_do(campaign):
    text = relaunch.default_message(
        campaign=campaign,
        join_url="http://testserver/campagnes/X",
        home_url="http://testserver/accueil/",
        groups=[Group.NOT_CERTIFIABLE],
        author="Mme Benali",
    )
    assert campaign.code in text and "http://testserver/campagnes/X" in text
    assert "J'envoie mon profil" in text and "niveau 1 dans au moins 5 des 16 compétences" in text
    assert "Mon profil Pix" in text and text.endswith("Mme Benali")


# The pages


@pytest.fixture
def member_client(client, colleague):
    client.force_login(colleague)
    return client


def test_relaunch_page_lists_the_candidates_with_their_situation(member_client, campaign, cast):
    response = member_client.get(reverse("campaigns:relaunch", args=[campaign.pk]))
    text = page_text(response)
    assert response.status_code == 200
    assert "3 élèves à relancer" in text
    assert "Non certifiables — il manque 1 compétence" in text
    assert "Ont rejoint sans envoyer leur profil" in text
    assert "N'ont pas rejoint la campagne" in text
    assert campaign.code in text and "Certifiable</td>" not in text


def test_relaunch_page_is_404_for_another_organization(client, campaign, stranger):
    client.force_login(stranger)
    assert client.get(reverse("campaigns:relaunch", args=[campaign.pk])).status_code == 404
    assert (
        client.post(reverse("campaigns:relaunch", args=[campaign.pk]), {"action": "message"}).status_code
        == 404
    )


def test_relaunch_page_sends_anonymous_visitors_to_login(client, campaign):
    response = client.get(reverse("campaigns:relaunch", args=[campaign.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_relaunch_page_refuses_other_methods(member_client, campaign):
    assert member_client.delete(reverse("campaigns:relaunch", args=[campaign.pk])).status_code == 405


def test_relaunch_with_no_pupil_ticked_says_so_and_records_nothing(member_client, campaign, cast):
    response = member_client.post(
        reverse("campaigns:relaunch", args=[campaign.pk]), {"action": "message", "message": "Bonjour"}
    )
    text = page_text(response)
    assert "Sélectionnez au moins un élève à relancer." in text
    assert 'aria-describedby="id_eleve_error"' in text and 'id="id_eleve_error"' in text
    assert text.startswith("<!doctype html>") and "<title>Erreur" in text
    assert not Relaunch.objects.exists()


def test_a_pupil_of_another_organization_cannot_be_slipped_into_a_relaunch(member_client, campaign, cast):
    foreign = OrganizationLearnerFactory(organization=OrganizationFactory())
    response = member_client.post(
        reverse("campaigns:relaunch", args=[campaign.pk]),
        {"action": "message", "message": "Bonjour", "eleve": [cast["absent"].pk, foreign.pk]},
    )
    assert "ne fait plus partie de cette liste" in page_text(response)
    assert not Relaunch.objects.exists()


def test_message_relaunch_gives_the_text_to_copy_and_records_who_when_how(
    member_client, campaign, cast, colleague
):
    response = member_client.post(
        reverse("campaigns:relaunch", args=[campaign.pk]) + "?groupe=en-attente",
        {
            "action": "message",
            "message": "Bonjour, envoyez votre profil.",
            "eleve": [cast["pending"].learner.pk],
        },
    )
    text = page_text(response)
    assert "Message de relance prêt à copier" in text and "Bonjour, envoyez votre profil." in text
    assert "Attente" in text
    record = Relaunch.objects.get()
    assert (record.channel, record.created_by, record.campaign) == ("MESSAGE", colleague, campaign)
    assert list(record.recipients.values_list("learner", flat=True)) == [cast["pending"].learner.pk]
    listing = page_text(member_client.get(reverse("campaigns:detail", args=[campaign.pk])))
    assert f"relancé le {timezone.localdate():%d/%m/%Y}" in listing


def test_slips_are_printed_per_class_with_the_qr_code_and_the_competences_to_work_on(
    member_client, campaign, cast
):
    response = member_client.post(
        reverse("campaigns:relaunch", args=[campaign.pk]),
        {"action": "fiches", "message": "x", "eleve": [cast["four"].learner.pk, cast["absent"].pk]},
    )
    text = page_text(response)
    assert "Classe 2NDE1" in text and "Classe 2NDE2" in text
    assert text.count("<svg") >= 2 and campaign.code in text
    assert "Il vous manque 1 compétence au niveau 1." in text and "Programmer" in text
    assert Relaunch.objects.get().channel == "SLIPS"


def test_email_relaunch_writes_to_pupils_with_an_address_after_commit(
    member_client, campaign, cast, django_capture_on_commit_callbacks
):
    cast["pending"].user.email = "attente@example.org"
    cast["pending"].user.save()
    nobody = cast["absent"]
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            reverse("campaigns:relaunch", args=[campaign.pk]),
            {"action": "email", "message": "Bonjour !", "eleve": [cast["pending"].learner.pk, nobody.pk]},
        )
    record = Relaunch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("campaigns:relaunch_detail", args=[campaign.pk, record.pk])
    (message,) = mail.outbox
    assert message.to == ["attente@example.org"] and campaign.name in message.subject
    assert "Bonjour !" in message.body and f"/campagnes/{campaign.code}" in message.body
    statuses = dict(record.recipients.values_list("learner__last_name", "email_status"))
    assert statuses == {"Attente": "SENT", "Absent": "NO_ADDRESS"}
    detail = page_text(member_client.get(response["Location"]))
    assert "Envoyé le" in detail and "Pas d'adresse e-mail" in detail


def test_failed_email_is_recorded_and_can_be_retried(
    member_client, campaign, cast, settings, teacher, django_capture_on_commit_callbacks
):
    learner = cast["pending"].learner
    learner.user.email = "attente@example.org"
    learner.user.save()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    record = relaunch_record(
        campaign=campaign,
        learners=[learner],
        channel="EMAIL",
        message="x",
        user=teacher,
        join_url="http://t/x",
    )
    from campaigns.emails import send_pending_relaunch_emails

    assert send_pending_relaunch_emails(record.pk) == {"sent": 0, "failed": 1}
    recipient = RelaunchRecipient.objects.get()
    assert recipient.email_status == "FAILED" and recipient.email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(reverse("campaigns:relaunch_detail", args=[campaign.pk, record.pk]))
    assert response.status_code == 302
    assert send_pending_relaunch_emails(record.pk) == {"sent": 0, "failed": 0}
    recipient.refresh_from_db()
    assert recipient.email_status == "SENT" and len(mail.outbox) == 1


def test_relaunch_history_lists_every_relaunch(member_client, campaign, cast, teacher):
    for channel in ("MESSAGE", "SLIPS"):
        relaunch_record(
            campaign=campaign,
            learners=[cast["absent"]],
            channel=channel,
            message="x",
            user=teacher,
            join_url="",
        )
    text = page_text(member_client.get(reverse("campaigns:relaunches", args=[campaign.pk])))
    assert "Message à copier" in text and "Fiches imprimées" in text


def test_relaunch_detail_of_another_campaign_is_404(member_client, campaign, cast, organization, teacher):
    other = CampaignFactory(organization=organization)
    record = relaunch_record(
        campaign=other, learners=[cast["absent"]], channel="MESSAGE", message="x", user=teacher, join_url=""
    )
    assert (
        member_client.get(reverse("campaigns:relaunch_detail", args=[campaign.pk, record.pk])).status_code
        == 404
    )


def test_results_and_activity_filter_never_and_already_relaunched(member_client, campaign, cast, teacher):
    relaunch_record(
        campaign=campaign,
        learners=[cast["four"].learner],
        channel="MESSAGE",
        message="x",
        user=teacher,
        join_url="",
    )
    url = reverse("campaigns:results", args=[campaign.pk])
    chased = member_client.get(url, {"relance": "relance"}).context["page"].object_list
    never = member_client.get(url, {"relance": "jamais"}).context["page"].object_list
    assert [row.learner.last_name for row in chased] == ["Quatre"]
    assert [row.learner.last_name for row in never] == ["Certifiable"]


def test_relaunch_pages_keep_a_bounded_number_of_queries(
    member_client, campaign, organization, django_assert_max_num_queries
):
    for index in range(40):
        sent(campaign, last_name=f"Nom{index:02d}", pix=FOUR, division=f"2NDE{index % 4}")
        OrganizationLearnerFactory(organization=organization, last_name=f"Absent{index:02d}")
    # session, user, membership, campaign, classes, candidates, last relaunches, switcher
    with django_assert_max_num_queries(9):
        response = member_client.get(reverse("campaigns:relaunch", args=[campaign.pk]))
    assert len(response.context["rows"]) == 80


def test_stale_relaunch_dates_are_not_recent():
    row = relaunch.Candidate(
        learner=None,
        group=Group.PENDING,
        missing=None,
        relaunched_at=timezone.now() - datetime.timedelta(days=2),
        work_on=[],
    )
    assert not row.recently_relaunched


def test_member_of_another_org_user_cannot_post_a_retry(client, campaign, teacher, cast):
    record = relaunch_record(
        campaign=campaign, learners=[cast["absent"]], channel="EMAIL", message="x", user=teacher, join_url=""
    )
    client.force_login(MembershipFactory().user)
    assert client.post(reverse("campaigns:relaunch_detail", args=[campaign.pk, record.pk])).status_code == 404
    assert RelaunchRecipient.objects.get().email_status == "NO_ADDRESS"


def test_relaunch_email_crosses_a_real_smtp_server(
    member_client, campaign, cast, smtp_server, django_capture_on_commit_callbacks
):
    learner = cast["pending"].learner
    learner.user.email = "attente@example.org"
    learner.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            reverse("campaigns:relaunch", args=[campaign.pk]),
            {"action": "email", "message": "Bonjour Léa, envoie ton profil !", "eleve": [learner.pk]},
        )
    (received,) = smtp_server.messages
    assert received["To"] == "attente@example.org"
    assert received["Subject"].strip().startswith("Relance\u00a0: envoyez votre profil Pix")
    body = received.get_body(preferencelist=("plain",)).get_content()
    assert "Bonjour Léa, envoie ton profil !" in body
    assert f"http://testserver/campagnes/{campaign.code}" in body
    assert RelaunchRecipient.objects.get().email_status == "SENT"


def test_relaunch_email_refused_by_the_server_is_recorded_as_failed(
    member_client, campaign, cast, smtp_server, django_capture_on_commit_callbacks
):
    learner = cast["pending"].learner
    learner.user.email = "inconnu@example.org"
    learner.user.save()
    smtp_server.refuse("550 5.1.1 Boîte inconnue")
    with django_capture_on_commit_callbacks(execute=True):
        member_client.post(
            reverse("campaigns:relaunch", args=[campaign.pk]),
            {"action": "email", "message": "Bonjour", "eleve": [learner.pk]},
        )
    recipient = RelaunchRecipient.objects.get()
    assert recipient.email_status == "FAILED" and "550" in recipient.email_error
    assert smtp_server.messages == []
    detail = page_text(
        member_client.get(reverse("campaigns:relaunch_detail", args=[campaign.pk, recipient.relaunch_id]))
    )
    assert "Échec d'envoi" in detail


def test_relaunch_from_eleves_keeps_the_filtered_classes(member_client, campaign, cast):
    listing = page_text(member_client.get(reverse("campaigns:learners"), {"classe": "2NDE2"}))
    assert "Choisir les élèves à relancer" in listing and campaign.name in listing
    response = member_client.get(
        reverse("campaigns:learners_relaunch"), {"campagne": campaign.pk, "classe": "2NDE2"}
    )
    assert response["Location"] == reverse("campaigns:relaunch", args=[campaign.pk]) + "?classe=2NDE2"
    rows = member_client.get(response["Location"]).context["rows"]
    assert [row.learner.last_name for row in rows] == ["Absent", "Attente"]


@pytest.mark.parametrize("value", ["", "²", "99999999999999999999999"])
def test_relaunch_from_eleves_with_a_bad_campaign_is_404(member_client, value):
    assert member_client.get(reverse("campaigns:learners_relaunch"), {"campagne": value}).status_code == 404


def test_relaunch_from_eleves_of_another_organization_campaign_is_404(member_client):
    other = CampaignFactory()
    assert (
        member_client.get(reverse("campaigns:learners_relaunch"), {"campagne": other.pk}).status_code == 404
    )
