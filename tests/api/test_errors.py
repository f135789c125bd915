"""Every error of the API has one shape, a stable code and a French message — whatever raised it."""

import logging

import pytest
from rest_framework.test import APIClient

from campaigns import selectors
from tests.api.conftest import api_error

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_anonymous_request_is_401_with_a_bearer_challenge(anonymous):
    error = api_error(anonymous.get("/api/v1/campagnes/"), 401)
    assert error["code"] == "authentification_requise"
    assert "Authorization: Bearer" in error["message"]
    assert error["champs"] == {}
    assert anonymous.get("/api/v1/campagnes/")["WWW-Authenticate"] == 'Bearer realm="api"'


@pytest.mark.parametrize(
    "header",
    ["Bearer pxo_inconnu", "Bearer", "Bearer deux morceaux", "Bearer " + "x" * 5000, "bearer pxo_" + "é"],
)
def test_a_token_that_is_not_one_is_401(header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    error = api_error(client.get("/api/v1/organisations/"), 401)
    assert error["code"] == "authentification_echouee"


@pytest.mark.parametrize(
    "path",
    ["/api/v1/inconnue/", "/api/v1/campagnes/abc/", "/api/v1/campagnes/1/inconnue/", "/api/autre/"],
)
def test_an_address_no_route_serves_is_a_json_404(as_teacher, path):
    error = api_error(as_teacher.get(path), 404)
    assert error["code"] == "introuvable"


def test_an_address_without_its_final_slash_says_so(as_teacher):
    error = api_error(as_teacher.post("/api/v1/campagnes", {"name": "x"}), 404)
    assert f"finissent par «{NBSP}/{NBSP}»" in error["message"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("delete", "/api/v1/campagnes/{pk}/", "GET, PUT, PATCH, HEAD"),
        ("get", "/api/v1/campagnes/{pk}/archiver/", "POST"),
        ("options", "/api/v1/campagnes/", "GET, POST, HEAD"),
        ("put", "/api/v1/organisations/", "GET, HEAD"),
    ],
)
def test_wrong_method_is_405_with_the_allowed_ones(as_teacher, campaign, method, path, allowed):
    response = getattr(as_teacher, method)(path.format(pk=campaign.pk))
    error = api_error(response, 405)
    assert error["code"] == "methode_non_autorisee"
    assert error["message"] == f"La méthode {method.upper()} n'est pas autorisée à cette adresse."
    assert response["Allow"] == allowed


def test_a_body_that_is_not_json_is_400(as_teacher):
    response = as_teacher.post("/api/v1/campagnes/", "{nom: ", content_type="application/json")
    error = api_error(response, 400)
    assert error["code"] == "json_invalide"


def test_a_body_neither_json_nor_a_form_is_415(as_teacher):
    response = as_teacher.post("/api/v1/campagnes/", "<campagne/>", content_type="application/xml")
    error = api_error(response, 415)
    assert error["code"] == "type_de_contenu_non_pris_en_charge"
    assert "application/json" in error["message"]


def test_a_form_body_is_read_too(as_teacher):
    response = as_teacher.post("/api/v1/campagnes/", {"name": "Collecte 2nde"}, format="multipart")
    assert response.status_code == 201
    assert response.json()["name"] == "Collecte 2nde"


def test_a_nul_byte_is_a_json_400(as_teacher):
    error = api_error(as_teacher.get("/api/v1/campagnes/", {"nom": "a\x00b"}), 400)
    assert error["code"] == "requete_invalide"
    form = as_teacher.post("/api/v1/campagnes/", {"name": "a\x00b"}, format="multipart")
    assert api_error(form, 400)["code"] == "requete_invalide"


def test_validation_errors_name_each_field(as_teacher):
    error = api_error(as_teacher.get("/api/v1/campagnes/", {"vue": "les miennes", "onglet": "x"}), 400)
    assert error["code"] == "donnees_invalides"
    assert set(error["champs"]) == {"vue", "onglet"}
    assert error["champs"]["vue"] == [f"«{NBSP}les miennes{NBSP}» n'est pas un choix valide."]


def test_messages_use_french_spacing(as_teacher, anonymous):
    messages = [
        api_error(anonymous.get("/api/v1/campagnes/"), 401)["message"],
        api_error(as_teacher.get("/api/v1/campagnes/", {"vue": "x"}), 400)["message"],
    ]
    for message in messages:
        assert " :" not in message and "« " not in message and " »" not in message
        assert f"{NBSP}:" in message


def test_throttled_token_gets_429_in_french_with_retry_after(settings, as_teacher):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"jeton": "2/min", "utilisateur": "100/min"},
    }
    assert [as_teacher.get("/api/v1/organisations/").status_code for _ in range(2)] == [200, 200]

    response = as_teacher.get("/api/v1/organisations/")

    error = api_error(response, 429)
    assert error["code"] == "trop_de_requetes"
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    assert (
        error["message"] == f"Trop de requêtes{NBSP}: réessayez dans {wait} seconde{'s' if wait > 1 else ''}."
    )


def test_each_token_has_its_budget_and_the_user_one_for_all(settings, token_client, teacher):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"jeton": "2/min", "utilisateur": "3/min"},
    }
    spreadsheet, script = token_client(teacher), token_client(teacher)

    first = [spreadsheet.get("/api/v1/organisations/").status_code for _ in range(2)]
    # The script's token is fresh, but the user's budget of 3 is spent by the spreadsheet's 2 and this one.
    second = [script.get("/api/v1/organisations/").status_code for _ in range(2)]

    assert first == [200, 200]
    assert second == [200, 429]


def test_an_unexpected_error_is_a_json_500_and_is_logged(monkeypatch, caplog, as_teacher):
    def broken(**kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(selectors, "campaign_list", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        error = api_error(as_teacher.get("/api/v1/campagnes/"), 500)
    assert error["code"] == "erreur_interne"
    assert "panne simulée" in caplog.text
    assert "panne simulée" not in error["message"]
