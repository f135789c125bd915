"""Where the benchmark runs: a PostgreSQL database of its own, Redis database 4, production-like settings.

The same environment serves the in-process passes (data, query counts) and the gunicorn processes.
"""

import os
import secrets
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / ".out"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/pixorga_bench"
# Never a developer's or CI's database: the benchmark drops and rebuilds what it points at.
DATABASE_PREFIX = "pixorga_bench"
REDIS_URL = "redis://127.0.0.1:6379/4"
# One key for the whole run: gunicorn's workers and the in-process passes sign the same way.
_SECRET_KEY = secrets.token_urlsafe(50)


def database_url():
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    name = database_name(url)
    if not name.startswith(DATABASE_PREFIX):
        raise SystemExit(
            f"BENCH_DATABASE_URL must name a database starting with {DATABASE_PREFIX!r}: {name!r}"
        )
    return url


def database_name(url):
    return url.rsplit("/", 1)[1].split("?", 1)[0]


def _maintenance_url(url):
    return url.rsplit("/", 1)[0] + "/postgres"


def redis_available():
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


def environment():
    """Production's settings as docker-compose sets them, on plain HTTP at 127.0.0.1."""
    env = {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "SECRET_KEY": _SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_COOKIES": "0",
        "SECURE_SSL_REDIRECT": "0",
        # Tasks run in the request that queues them: their cost is counted, not hidden in a worker.
        "CELERY_BROKER_URL": "",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env["REDIS_URL"] = REDIS_URL if redis_available() else ""
    return env


def ensure_database(*, rebuild=False):
    """Create the benchmark database if it is missing; drop it first with `rebuild`."""
    url = database_url()
    name = database_name(url)
    with psycopg.connect(_maintenance_url(url), autocommit=True) as connection:
        if rebuild:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def setup_django():
    os.environ.update(environment())
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    OUT.mkdir(parents=True, exist_ok=True)


def flush_redis():
    """Rate limits and cached values of an earlier run must not weigh on this one."""
    if os.environ.get("REDIS_URL"):
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
