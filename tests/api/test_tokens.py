"""Personal API tokens: how the API recognises them, and the « Jetons d'API » page that makes them."""

import datetime
import hashlib
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.factories import UserFactory
from accounts.models import ApiToken
from accounts.tokens import MAX_TOKENS_PER_USER, TOUCH_INTERVAL, api_token_create, api_token_touch
from tests.api.conftest import api_error
from tests.pages import page_text
from tests.test_typography import _faults

pytestmark = pytest.mark.django_db


def _client(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


# How the API recognises a token.


def test_a_token_is_stored_as_its_sha256_with_a_visible_start_only(teacher):
    row, token = api_token_create(user=teacher, name="Tableur")
    assert token.startswith("pxo_") and len(token) == 4 + 43
    stored = ApiToken.objects.values().get(pk=row.pk)
    assert stored["key_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert stored["prefix"] == token[:12]
    assert token not in str(stored.values())


def test_a_token_acts_as_its_owner(teacher, organization):
    _, token = api_token_create(user=teacher, name="Tableur")
    response = _client(token).get("/api/v1/organisations/")
    assert response.status_code == 200
    assert [row["name"] for row in response.json()["results"]] == [organization.name]


def test_a_revoked_token_stops_working(teacher):
    row, token = api_token_create(user=teacher, name="Tableur")
    row.delete()
    assert api_error(_client(token).get("/api/v1/organisations/"), 401)["code"] == "authentification_echouee"


def test_the_token_of_a_deactivated_account_stops_working(teacher):
    _, token = api_token_create(user=teacher, name="Tableur")
    teacher.is_active = False
    teacher.save()
    api_error(_client(token).get("/api/v1/organisations/"), 401)


def test_a_read_only_token_reads_and_changes_nothing(token_client, teacher, campaign):
    client = token_client(teacher, read_only=True)
    assert client.get(f"/api/v1/campagnes/{campaign.pk}/").status_code == 200

    for response in (
        client.patch(f"/api/v1/campagnes/{campaign.pk}/", {"name": "Renommée"}),
        client.post("/api/v1/campagnes/", {"name": "Nouvelle"}),
        client.post(f"/api/v1/campagnes/{campaign.pk}/archiver/"),
        client.post(f"/api/v1/eleve/campagnes/{campaign.code}/rejoindre/", {}),
    ):
        error = api_error(response, 403)
        assert error["code"] == "jeton_lecture_seule"
    campaign.refresh_from_db()
    assert (campaign.name, campaign.archived_at) == ("Collecte des profils au 23.09.21", None)


def test_last_use_is_recorded_at_most_once_a_minute(teacher):
    row, token = api_token_create(user=teacher, name="Tableur")
    client = _client(token)
    assert row.last_used_at is None

    client.get("/api/v1/organisations/")
    row.refresh_from_db()
    first_use = row.last_used_at
    assert first_use is not None
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/organisations/")
    assert not [query for query in queries if query["sql"].startswith("UPDATE")]
    row.refresh_from_db()
    assert row.last_used_at == first_use

    ApiToken.objects.filter(pk=row.pk).update(last_used_at=first_use - TOUCH_INTERVAL)
    client.get("/api/v1/organisations/")
    row.refresh_from_db()
    assert row.last_used_at > first_use


def test_two_requests_of_the_same_minute_write_the_last_use_once(teacher):
    row, _ = api_token_create(user=teacher, name="Tableur")
    now = timezone.now()
    stale = ApiToken.objects.get(pk=row.pk)
    api_token_touch(token=row, now=now)
    # The second request read the row before the first one wrote it.
    api_token_touch(token=stale, now=now + datetime.timedelta(seconds=5))
    row.refresh_from_db()
    assert row.last_used_at == now


def test_the_browser_session_works_and_needs_the_csrf_token_to_change(teacher, campaign):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(teacher)
    assert client.get(f"/api/v1/campagnes/{campaign.pk}/").status_code == 200

    error = api_error(client.patch(f"/api/v1/campagnes/{campaign.pk}/", {"name": "Renommée"}), 403)
    assert error["code"] == "csrf_invalide"
    campaign.refresh_from_db()
    assert campaign.name == "Collecte des profils au 23.09.21"

    client.get(reverse("campaigns:list"))
    csrf = client.cookies["csrftoken"].value
    response = client.patch(f"/api/v1/campagnes/{campaign.pk}/", {"name": "Renommée"}, HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.name == "Renommée"


# The « Jetons d'API » page.

TOKENS_URL = "/compte/jetons/"


def test_tokens_page_is_for_logged_in_users(client):
    response = client.get(TOKENS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_creating_a_token_shows_it_once_and_stores_its_hash(client, teacher, caplog):
    client.force_login(teacher)
    with caplog.at_level(logging.DEBUG):
        response = client.post(TOKENS_URL, {"name": "Tableur des 2nde", "read_only": "on"})

    assert response.status_code == 200
    row = ApiToken.objects.get(user=teacher)
    token = response.context["token"]
    assert (row.name, row.read_only, row.key_hash) == (
        "Tableur des 2nde",
        True,
        hashlib.sha256(token.encode()).hexdigest(),
    )
    text = page_text(response)
    assert token in text
    assert "il ne sera plus jamais affiché" in text
    assert "no-store" in response["Cache-Control"]
    assert token not in caplog.text

    again = client.get(TOKENS_URL)
    assert token not in page_text(again)
    assert row.prefix in page_text(again)
    assert "Lecture seule" in page_text(again) and "Jamais utilisé" in page_text(again)


def test_tokens_page_lists_the_last_use(client, teacher):
    row, _ = api_token_create(user=teacher, name="Script ENT")
    ApiToken.objects.filter(pk=row.pk).update(
        last_used_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 8, 15))
    )
    client.force_login(teacher)
    text = page_text(client.get(TOKENS_URL))
    assert "Script ENT" in text and "02/03/2026 à 08:15" in text and "Lecture et modification" in text


def test_a_token_without_name_is_refused_with_the_error_tied_to_its_field(client, teacher):
    client.force_login(teacher)
    response = client.post(TOKENS_URL, {"name": "  "})
    content = response.content.decode()
    assert ApiToken.objects.count() == 0
    assert "<title>Erreur" in content
    assert "Donnez un nom au jeton." in page_text(response)
    assert 'aria-invalid="true"' in content and 'aria-describedby="id_name_helptext id_name_error"' in content


def test_tokens_are_limited_per_user(client, teacher):
    for index in range(MAX_TOKENS_PER_USER):
        api_token_create(user=teacher, name=f"Jeton {index}")
    client.force_login(teacher)
    response = client.post(TOKENS_URL, {"name": "Un de trop"})
    assert "révoquez ceux que vous n'utilisez plus" in page_text(response)
    assert ApiToken.objects.filter(user=teacher).count() == MAX_TOKENS_PER_USER


def test_revoking_a_token_deletes_it(client, teacher):
    row, token = api_token_create(user=teacher, name="Tableur")
    client.force_login(teacher)
    response = client.post(reverse("api_token_revoke", args=[row.pk]), follow=True)
    assert "Le jeton «\u00a0Tableur\u00a0» est révoqué" in page_text(response)
    assert not ApiToken.objects.filter(pk=row.pk).exists()
    api_error(_client(token).get("/api/v1/organisations/"), 401)


def test_nobody_revokes_another_users_token(client, teacher, colleague):
    row, _ = api_token_create(user=teacher, name="Tableur")
    client.force_login(colleague)
    assert client.post(reverse("api_token_revoke", args=[row.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_revoking_needs_a_post(client, teacher):
    row, _ = api_token_create(user=teacher, name="Tableur")
    client.force_login(teacher)
    assert client.get(reverse("api_token_revoke", args=[row.pk])).status_code == 405
    assert ApiToken.objects.filter(pk=row.pk).exists()


def test_a_pupil_has_the_page_too_in_the_pupils_layout(client, pupil):
    client.force_login(pupil)
    response = client.post(TOKENS_URL, {"name": "Mon appli"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=pupil).count() == 1
    assert "Menu élève" in response.content.decode()


def test_each_user_sees_only_his_tokens(client, teacher):
    api_token_create(user=UserFactory(), name="Jeton d'un autre")
    api_token_create(user=teacher, name="Le mien")
    client.force_login(teacher)
    text = page_text(client.get(TOKENS_URL))
    assert "Le mien" in text and "Jeton d'un autre" not in text


def test_tokens_page_uses_french_spacing(client, teacher):
    api_token_create(user=teacher, name="Tableur")
    client.force_login(teacher)
    assert _faults(client.get(TOKENS_URL)) == []
    assert _faults(client.post(TOKENS_URL, {"name": "Script"})) == []


def test_staff_see_and_revoke_tokens_in_the_admin_never_their_hash(client, teacher):
    row, token = api_token_create(user=teacher, name="Tableur")
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    listing = client.get(reverse("admin:accounts_apitoken_changelist"), {"q": "Tab"})
    assert row.prefix in page_text(listing)
    page = client.get(reverse("admin:accounts_apitoken_change", args=[row.pk]))
    assert row.key_hash not in page.content.decode() and token not in page.content.decode()
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    client.post(reverse("admin:accounts_apitoken_delete", args=[row.pk]), {"post": "yes"})
    assert not ApiToken.objects.filter(pk=row.pk).exists()
