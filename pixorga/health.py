"""/healthz: is this process able to serve, i.e. does it reach the database and the cache?"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)
CACHE_PROBE_KEY = "healthz:probe"


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache():
    cache.set(CACHE_PROBE_KEY, "ok", timeout=10)
    if cache.get(CACHE_PROBE_KEY) != "ok":
        raise RuntimeError("the cache did not return what was just written")


def healthz(request):
    """200 {"database": "ok", "cache": "ok"} when both answer, else 503 with the failing part."""
    report = {}
    for name, probe in (("database", _database), ("cache", _cache)):
        try:
            probe()
        except Exception:  # Any failure of a dependency is the answer itself, not a crash.
            logger.exception("Health check: the %s does not answer.", name)
            report[name] = "error"
        else:
            report[name] = "ok"
    healthy = all(state == "ok" for state in report.values())
    response = JsonResponse(report, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
