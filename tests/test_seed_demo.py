import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Membership, Organization, User
from campaigns.models import Campaign, Participation
from profiles.models import CompetencePix, ProfileSnapshot
from profiles.services import profile_summary_for_user
from students.models import OrganizationLearner

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_a_lycee_and_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (
        Organization.objects.count(),
        OrganizationLearner.objects.count(),
        Participation.objects.count(),
        ProfileSnapshot.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        Organization.objects.count(),
        OrganizationLearner.objects.count(),
        Participation.objects.count(),
        ProfileSnapshot.objects.count(),
    )

    lycee = Organization.objects.get(external_id="0061234A")
    assert lycee.type == Organization.Type.SCO
    assert lycee.memberships.count() == 3
    assert lycee.memberships.filter(role=Membership.Role.ADMIN).count() == 1
    divisions = set(lycee.learners.values_list("division", flat=True))
    assert len(divisions) == 6
    assert lycee.learners.filter(user__isnull=False).count() == 180

    collection = Campaign.objects.get(organization=lycee, name="Collecte des profils au 23.09.21")
    live = collection.participations.filter(is_improved=False, status=Participation.Status.SHARED)
    not_certifiable = live.filter(snapshot__is_certifiable=False).count()
    assert 0.15 < not_certifiable / live.count() < 0.35
    assert collection.participations.filter(is_improved=True).exists()
    assert live.dates("shared_at", "day").count() >= 5
    assert live.filter(snapshot__certifiable_competences_count=4).exists()
    assert live.filter(snapshot__certifiable_competences_count=5).exists()
    assert Campaign.objects.filter(organization=lycee, archived_at__isnull=False).exists()
    assert (
        OrganizationLearner.objects.filter(user__isnull=False)
        .exclude(user__in=CompetencePix.objects.values("user"))
        .exists()
    ), "one pupil has an empty profile"

    output = capsys.readouterr().out
    assert "prof.admin / pixorga-prof" in output
    assert f"/campagnes/{collection.code}" in output


def test_demo_pupil_sends_and_appears_first_in_the_teachers_table(client):
    call_command("seed_demo")
    lycee = Organization.objects.get(external_id="0061234A")
    campaign = Campaign.objects.get(organization=lycee, name="Collecte des profils au 23.09.21")
    learner = lycee.learners.filter(division="TG2", user__isnull=False).order_by("pk").first()
    assert not campaign.participations.filter(user=learner.user).exists()

    client.force_login(learner.user)
    client.post(campaign.get_join_url())
    participation = campaign.participations.get(user=learner.user)
    client.post(reverse("pupil:send", args=[campaign.code]), {"participation": participation.pk})

    summary = profile_summary_for_user(user=learner.user)
    client.force_login(User.objects.get(username="prof.admin"))
    first_row = client.get(reverse("campaigns:results", args=[campaign.pk])).context["page"].object_list[0]
    assert first_row.learner == learner
    assert first_row.snapshot.pix_score == summary.pix_score
    assert first_row.snapshot.is_certifiable == summary.is_certifiable
