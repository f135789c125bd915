"""Background jobs of the roster: the import, and the certificabilité recomputations (nightly for every
school, or on a teacher's demand for his). Each takes ids and may run twice without harm."""

from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from django_scopes import scope, scopes_disabled

from . import certificability, roster

REFRESH_LOCK = "students:certificability-refresh:{organization_id}"
REFRESH_LOCK_SECONDS = 10 * 60


@shared_task(acks_late=True)
def roster_import_run(roster_import_id):
    roster.roster_import_run(roster_import_id=roster_import_id)


@shared_task(acks_late=True)
def certificability_refresh(organization_id):
    try:
        with scope(organization=organization_id):
            return certificability.organization_certificability_refresh(organization_id=organization_id)
    finally:
        cache.delete(REFRESH_LOCK.format(organization_id=organization_id))


@shared_task
def certificability_refresh_all():
    """The nightly job: one recomputation per school, so that a large school does not hold up the others."""
    with scopes_disabled():
        organization_ids = certificability.schools_to_refresh()
    for organization_id in organization_ids:
        certificability_refresh.delay(organization_id)
    return len(organization_ids)


def certificability_refresh_request(organization_id):
    """Queue a recomputation for a teacher; False when one is already queued or running."""
    if not cache.add(REFRESH_LOCK.format(organization_id=organization_id), True, REFRESH_LOCK_SECONDS):
        return False
    transaction.on_commit(lambda: certificability_refresh.delay(organization_id))
    return True
