"""The demo lycée's SIECLE export matches seed_demo's roster: importing it adds the newcomers, disables
the leavers and keeps every other pupil as he is."""

import pytest
from django.core.files import File
from django.core.management import call_command

from accounts.models import Organization
from students import roster
from students.demo import DEMO_SIECLE_FILE
from students.models import OrganizationLearner, RosterImport

pytestmark = pytest.mark.django_db


def test_demo_siecle_file_imports_into_the_demo_lycee():
    call_command("seed_demo")
    lycee = Organization.objects.get(external_id="0061234A")
    fields = ("national_student_id", "last_name", "first_name", "birthdate", "sex", "division", "user_id")
    before = {
        row[0]: row for row in OrganizationLearner.objects.filter(organization=lycee).values_list(*fields)
    }
    assert all(row[4] in {"F", "M"} for row in before.values())

    with DEMO_SIECLE_FILE.open("rb") as source:
        roster_import = RosterImport(organization=lycee, file_name=DEMO_SIECLE_FILE.name)
        roster_import.file.save(DEMO_SIECLE_FILE.name, File(source), save=True)
    roster.roster_import_run(roster_import_id=roster_import.pk)

    roster_import.refresh_from_db()
    assert roster_import.errors == []
    assert roster_import.status == RosterImport.Status.DONE
    assert (roster_import.created_count, roster_import.disabled_count, roster_import.skipped_count) == (
        4,
        3,
        4,
    )
    assert roster_import.updated_count == len(before) - 3
    after = {
        row[0]: row
        for row in OrganizationLearner.objects.filter(organization=lycee, is_disabled=False).values_list(
            *fields
        )
    }
    kept = set(before) & set(after)
    changed = [ine for ine in kept if before[ine] != after[ine]]
    assert len(changed) == 1 and before[changed[0]][5] == "2NDE2" and after[changed[0]][5] == "2NDE1"
    assert len(set(after) - set(before)) == 4
