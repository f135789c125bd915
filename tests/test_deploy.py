"""Production settings and deployment files: checked in subprocesses, as production starts them."""

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "pixorga.settings",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "pixorga.example.fr,127.0.0.1",
    "CSRF_TRUSTED_ORIGINS": "https://pixorga.example.fr",
    "REDIS_URL": "redis://127.0.0.1:6379/5",
}


def _env(**variables):
    """Only what production would set: none of the test run's own variables (DEBUG=1…) leak in."""
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {**keep, "PYTHONDONTWRITEBYTECODE": "1", **variables}


def _run(*args, env, timeout=120):
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _settings(env, *names):
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}, default=str))"
    )
    result = _run("-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_is_clean_with_production_settings():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=_env(**PRODUCTION))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output.replace("INFO", "")


def test_production_is_the_default_when_debug_is_not_set():
    values = _settings(
        _env(**PRODUCTION),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "SECURE_PROXY_SSL_HEADER",
        "LOG_FORMAT",
        "MIDDLEWARE",
    )
    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True
    assert values["LOG_FORMAT"] == "json"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in values["MIDDLEWARE"]


def test_each_https_protection_can_be_turned_off_for_a_plain_http_try():
    env = _env(**PRODUCTION, SECURE_SSL_REDIRECT="0", SECURE_HSTS_SECONDS="0", SECURE_COOKIES="0")
    values = _settings(env, "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE")
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
    }


def test_a_missing_secret_key_stops_production_at_once():
    env = _env(**{name: value for name, value in PRODUCTION.items() if name != "SECRET_KEY"})
    result = _run("manage.py", "check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off." in result.stderr


def test_compose_runs_postgresql_redis_web_worker_and_beat_with_safe_defaults():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["redis"]["image"].startswith("redis:")
    assert services["worker"]["command"][:5] == ["celery", "-A", "pixorga", "worker", "-l"]
    assert services["beat"]["command"][:5] == ["celery", "-A", "pixorga", "beat", "-l"]
    assert "gunicorn.conf.py" in services["web"]["command"]
    for name in ("migrate", "web", "worker", "beat"):
        environment = services[name]["environment"]
        assert environment["DEBUG"] == "0"
        assert environment["SECRET_KEY"].startswith("${SECRET_KEY:?"), "no default secret key"
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["SECURE_SSL_REDIRECT"] == "${SECURE_SSL_REDIRECT:-1}"
        assert services[name]["depends_on"]["db"] == {"condition": "service_healthy"}
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["web"]["volumes"] == services["worker"]["volumes"] == ["media:/app/media"]


def test_dockerfile_collects_static_files_and_serves_with_gunicorn_config():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "manage.py collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "pixorga.wsgi", "--config", "gunicorn.conf.py"]' in dockerfile
    assert "COPY manage.py gunicorn.conf.py ./" in dockerfile
    assert "USER pixorga" in dockerfile


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def production_server(tmp_path):
    """gunicorn with gunicorn.conf.py and production settings, on SQLite, after collectstatic."""
    port = _free_port()
    env = _env(
        **PRODUCTION,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="1",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        result = _run("manage.py", *command, env=env)
        assert result.returncode == 0, result.stderr
    log = (tmp_path / "gunicorn.log").open("w+")
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "pixorga.wsgi", "--config", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start")
        yield base, log
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_gunicorn_serves_production_with_json_access_logs_free_of_query_strings(production_server):
    base, log = production_server
    status, headers, body = _get(f"{base}/healthz", Host="10.0.0.12")
    assert (status, json.loads(body)) == (200, {"database": "ok", "cache": "ok"})
    assert "no-store" in headers["Cache-Control"]

    status, headers, _ = _get(f"{base}/connexion/?next=/orga/&recherche=Lefevre")
    assert status == 301 and headers["Location"].startswith("https://"), "plain HTTP goes to HTTPS"

    status, headers, body = _get(f"{base}/connexion/?recherche=Lefevre", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    stylesheet = next(part for part in body.decode().split('"') if part.startswith("/static/css/pixorga."))
    assert stylesheet != "/static/css/pixorga.css", "hashed name from the manifest"
    status, headers, _ = _get(f"{base}{stylesheet}", **{"Accept-Encoding": "gzip"})
    assert (status, headers.get("Content-Encoding")) == (200, "gzip")
    assert "immutable" in headers["Cache-Control"]

    time.sleep(0.3)
    log.seek(0)
    access = [json.loads(line) for line in log if line.startswith("{") and '"gunicorn.access"' in line]
    paths = [entry["path"] for entry in access]
    assert "/connexion/" in paths
    assert "/healthz" not in paths, "health checks are not logged"
    assert all("Lefevre" not in json.dumps(entry) for entry in access)
    assert all(len(entry["request_id"]) == 32 for entry in access if entry["path"] == "/connexion/")
