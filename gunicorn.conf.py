"""gunicorn settings for production (docker-compose's web service), from the environment.

Sized for the heaviest request, a streamed CSV export of 50,000 rows: threaded workers (gthread) keep
serving other pages while one thread streams, and the timeout leaves it two minutes.
"""

import json
import multiprocessing
import os

from gunicorn.glogging import Logger

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Two processes per core plus one is gunicorn's advice; capped so that a large host does not open more
# database connections than PostgreSQL's default 100 allows with a few web and worker containers.
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2 + 1, 9)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "120"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# A worker is replaced after this many requests (with jitter, so they do not all restart together):
# whatever memory a long life leaks is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "100"))
# The proxy in front says the scheme and the client's address; trusted from any address since only the
# proxy reaches the container.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# JSON, one line a request. The path without its query string (%(U)s): a query may hold a pupil's name
# typed in a search box. The request id ties the line to the application's own log records.
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "logger": "gunicorn.access",
        "request_id": "%({x-request-id}o)s",
        "remote_ip": "%(h)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "user_agent": "%(a)s",
    }
)

HEALTH_PATH = "/healthz"


class AccessLogWithoutHealthChecks(Logger):
    """The load balancer asks /healthz every few seconds: those lines are only noise."""

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO", "").rstrip("/") == HEALTH_PATH:
            return
        super().access(resp, req, environ, request_time)


logger_class = AccessLogWithoutHealthChecks
