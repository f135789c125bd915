"""Pupils who join and send through the services, as the pupil pages do: the campaign's counters, the
rank of each sending and the previous score are then the application's own, not a factory's."""

from django.urls import reverse

from accounts.factories import UserFactory
from campaigns import services
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students.factories import OrganizationLearnerFactory


def roster_pupil(organization, *, last_name, first_name="Léa", division="2NDE1", **kwargs):
    """A pupil of the school's roster, linked to his account."""
    user = UserFactory(first_name=first_name, last_name=last_name)
    return OrganizationLearnerFactory(
        organization=organization,
        user=user,
        first_name=first_name,
        last_name=last_name,
        division=division,
        **kwargs,
    )


def join(campaign, learner):
    """« C'est parti ! »: his live participation, or with multiple sendings a new one once he sent."""
    return services.participation_start(campaign=campaign, user=learner.user, learner=learner)


def send(campaign, learner, pix=None):
    """« C'est parti ! » then « J'envoie mon profil » with `pix` (code -> pix) as his live profile;
    by default 5 competences at level 1."""
    competence_pix_set(
        user=learner.user,
        pix_by_competence=pix if pix is not None else dict.fromkeys(COMPETENCE_CODES[:5], 8),
    )
    return services.participation_send_profile(participation=join(campaign, learner))


def press_start(client, campaign):
    """The pupil presses « C'est parti ! » on the landing page, and follows where it leads."""
    return client.post(campaign.get_join_url(), follow=True)


def press_send(client, campaign, participation):
    """The pupil presses « J'envoie mon profil », and follows where it leads."""
    return client.post(send_url(campaign), {"participation": participation.pk}, follow=True)


def send_url(campaign):
    return reverse("pupil:send", args=[campaign.code])


def campaign_change(campaign, **fields):
    """Change the campaign's settings in the database only: saving the object would write back the
    counters it was loaded with, over those the services have kept since."""
    type(campaign).objects.filter(pk=campaign.pk).update(**fields)
    campaign.refresh_from_db()
