"""The OpenAPI schema is generated from the code and valid (checked in CI by this test), and its
documentation page serves Swagger UI from our own static files."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/organisations/": {"get"},
    "/api/v1/campagnes/": {"get", "post"},
    "/api/v1/campagnes/{id}/": {"get", "put", "patch"},
    "/api/v1/campagnes/{id}/archiver/": {"post"},
    "/api/v1/campagnes/{id}/desarchiver/": {"post"},
    "/api/v1/campagnes/{id}/dupliquer/": {"post"},
    "/api/v1/campagnes/{id}/resultats/": {"get"},
    "/api/v1/campagnes/{id}/participants/{participation_pk}/": {"get"},
    "/api/v1/eleves/": {"get"},
    "/api/v1/eleve/campagnes/{code}/": {"get"},
    "/api/v1/eleve/campagnes/{code}/rejoindre/": {"post"},
    "/api/v1/eleve/campagnes/{code}/envoyer/": {"post"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    """drf-spectacular's own validation against the OpenAPI 3 meta-schema; a warning (a field it cannot
    type, a view it cannot read) fails too."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_is_valid_openapi_3_and_lists_every_endpoint(schema):
    assert schema["openapi"].startswith("3.")
    assert {path: set(operations) for path, operations in schema["paths"].items()} == ENDPOINTS


def test_every_operation_documents_the_one_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["erreur"]
    detail = schema["components"]["schemas"]["ErrorDetail"]
    assert set(detail["required"]) == {"code", "message", "champs"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "429"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (path, method, status)


def test_console_endpoints_take_the_organisation_and_pupil_endpoints_do_not(schema):
    def parameters(path, method):
        return {parameter["name"] for parameter in schema["paths"][path][method].get("parameters", [])}

    assert "organisation" in parameters("/api/v1/campagnes/{id}/resultats/", "get")
    assert "organisation" in parameters("/api/v1/eleves/", "get")
    assert "organisation" not in parameters("/api/v1/eleve/campagnes/{code}/", "get")
    assert {
        "classe",
        "certifiable",
        "manque",
        "recherche",
        "tri",
        "historique",
        "page",
        "taille",
    } <= parameters("/api/v1/campagnes/{id}/resultats/", "get")


def test_schema_documents_tokens_and_the_session(schema):
    schemes = schema["components"]["securitySchemes"]
    assert schemes["jetonApi"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["jetonApi"]["description"],
    }
    assert schemes["cookieAuth"]["in"] == "cookie"


def test_schema_is_served_to_anyone(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "API de pixorga"


def test_documentation_page_serves_swagger_ui_from_our_static_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in assets
    assert all(asset.startswith("/static/") for asset in assets), assets
    assert "cdn" not in html.lower()
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui.css")
