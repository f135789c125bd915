"""French typography on every page a teacher or a pupil reads: a non-breaking space before « : ; ! ? »
and inside the guillemets, and 0 and 1 in the singular."""

import html
import re

import pytest
from django.urls import reverse

from campaigns.factories import ParticipationFactory
from pixorga.typography import plural
from tests.campaigns.sendings import sent

pytestmark = pytest.mark.django_db

TAGS = re.compile(r"<script.*?</script>|<style.*?</style>|<[^>]+>", re.S)
# A plain space where French wants a non-breaking one: before a high punctuation mark, or inside « ».
PLAIN_SPACE = re.compile(r"\S ([:;!?])(?=\s|$)|« | »", re.M)


def _faults(response):
    text = html.unescape(TAGS.sub(" ", response.content.decode()))
    return sorted(
        {text[max(match.start() - 30, 0) : match.end() + 10] for match in PLAIN_SPACE.finditer(text)}
    )


def _teacher_pages(campaign, participation):
    pk = campaign.pk
    return [
        reverse("campaigns:list"),
        reverse("campaigns:create"),
        reverse("campaigns:detail", args=[pk]),
        reverse("campaigns:results", args=[pk]),
        reverse("campaigns:settings", args=[pk]),
        reverse("campaigns:update", args=[pk]),
        reverse("campaigns:delete", args=[pk]),
        reverse("campaigns:never_joined", args=[pk]),
        reverse("campaigns:handout", args=[pk]),
        reverse("campaigns:participant", args=[pk, participation.pk]),
        reverse("campaigns:participation_delete", args=[pk, participation.pk]),
        reverse("campaigns:learners"),
        reverse("campaigns:team"),
        reverse("campaigns:documentation"),
    ]


def test_teacher_pages_use_french_spacing(client, teacher, campaign):
    participation = sent(campaign, last_name="Martin")
    ParticipationFactory(campaign=campaign)
    client.force_login(teacher)
    for url in _teacher_pages(campaign, participation):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _faults(response) == [], url


def test_pupil_pages_use_french_spacing(client, pupil, campaign):
    client.force_login(pupil)
    pages = [reverse("pupil:home"), reverse("pupil:profile"), reverse("pupil:landing", args=[campaign.code])]
    for url in pages:
        assert _faults(client.get(url)) == [], url
    client.post(reverse("pupil:landing", args=[campaign.code]))
    for url in (reverse("pupil:send", args=[campaign.code]), reverse("pupil:code") + "?code=zz"):
        assert _faults(client.get(url)) == [], url


def test_public_pages_use_french_spacing(client):
    for url in (reverse("login"), reverse("signup"), reverse("password_reset")):
        assert _faults(client.get(url)) == [], url


@pytest.mark.parametrize(("count", "suffix"), [(0, ""), (1, ""), (2, "s"), (-1, ""), ("x", "")])
def test_zero_and_one_are_singular_in_french(count, suffix):
    assert plural(count) == suffix


def test_plural_with_explicit_endings():
    assert (plural(1, "a,ont"), plural(3, "a,ont")) == ("a", "ont")
