"""The roster import and the recomputation run on a real Celery worker, with Redis (127.0.0.1:6379,
database 1) as broker and result store, against PostgreSQL, as in production."""

import time

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connection, connections
from django.urls import reverse

import pixorga.celery
from accounts.factories import UserFactory
from profiles.framework import COMPETENCE_CODES
from profiles.services import competence_pix_set
from students import tasks
from students.factories import OrganizationLearnerFactory
from students.models import OrganizationLearner, RosterImport
from tests.students.files import class_of, zip_file

REDIS_URL = "redis://127.0.0.1:6379/1"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the worker test runs on PostgreSQL"),
]


def _redis_available():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def _close_connections(**kwargs):
    """The worker's thread closes its database connections after each task, so that the test database
    can be flushed and dropped."""
    connections.close_all()


@pytest.fixture
def worker():
    if not _redis_available():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    app = Celery("pixorga-worker-test")
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=REDIS_URL,
        result_backend=REDIS_URL,
        task_always_eager=False,
        broker_connection_retry_on_startup=False,
    )
    app.set_current()
    task_postrun.connect(_close_connections)
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, loglevel="WARNING", shutdown_timeout=10
        ):
            yield app
    finally:
        task_postrun.disconnect(_close_connections)
        pixorga.celery.app.set_current()
        redis.Redis.from_url(REDIS_URL).flushdb()


def _wait_for(predicate, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_upload_is_imported_by_the_worker(worker, client, teacher, organization):
    client.force_login(teacher)
    response = client.post(reverse("students:import"), {"file": zip_file(class_of(30))})
    assert response.status_code == 302
    roster_import = RosterImport.objects.get()

    assert _wait_for(lambda: not RosterImport.objects.get(pk=roster_import.pk).is_running)
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE, roster_import.errors
    assert roster_import.created_count == 30
    assert OrganizationLearner.objects.filter(organization=organization).count() == 30
    assert roster_import.file.name == ""


def test_recomputation_runs_on_the_worker_and_reports_through_redis(worker, organization):
    user = UserFactory()
    competence_pix_set(user=user, pix_by_competence=dict.fromkeys(COMPETENCE_CODES[:5], 8))
    learner = OrganizationLearnerFactory(organization=organization, user=user)

    result = tasks.certificability_refresh.delay(organization.pk)

    assert result.get(timeout=30) == 1
    learner.refresh_from_db()
    assert learner.certificability == OrganizationLearner.Certificability.CERTIFIABLE
