"""Benchmark of the roster on PostgreSQL: a lycée of 3,000 pupils.

1. generates a 3,000-pupil SIECLE export (zip) and imports it through the background job's code, then
   imports it again (every pupil known: the update path);
2. gives each pupil an account and a live Pix profile, and recomputes the certificabilité of the whole
   school (the nightly job; goal: under 5 s);
3. generates a 20 MB SIECLE XML file and measures the importer's peak memory on it (parse and validation,
   tracemalloc) and its time.

    .venv/bin/python benchmarks/roster.py

DATABASE_URL defaults to a `pixorga_roster_bench` database on the local PostgreSQL, created on first run.
"""

import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pixorga_roster_bench")

import django
import psycopg

PUPILS = int(os.environ.get("BENCH_PUPILS", "3000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
UAI = "0069000B"
DIVISIONS = [f"{level}{number}" for level in ("2NDE", "1G", "TG") for number in range(1, 31)]


def ensure_database():
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def siecle_pupils(count, rng):
    from students.factories import SieclePupil

    return [
        SieclePupil(
            ine=f"{number:010d}K",
            last_name=f"Nom{number % 4999}",
            first_name=f"Prénom{number % 997}",
            birthdate=f"{rng.randrange(1, 29):02d}/{rng.randrange(1, 13):02d}/{rng.randrange(2007, 2011)}",
            division=DIVISIONS[number % len(DIVISIONS)],
            sex=str(1 + number % 2),
        )
        for number in range(count)
    ]


def fresh_school():
    from accounts.models import Membership, Organization, User

    Organization.objects.filter(external_id=UAI).delete()
    organization = Organization.objects.create(name="Lycée du benchmark des élèves", external_id=UAI)
    teacher, _ = User.objects.get_or_create(username="bench.roster.admin")
    Membership.objects.create(organization=organization, user=teacher, role=Membership.Role.ADMIN)
    return organization, teacher


def timed_import(organization, teacher, path):
    from django.core.files import File

    from students import roster
    from students.models import RosterImport

    with path.open("rb") as source:
        roster_import = RosterImport(organization=organization, created_by=teacher, file_name=path.name)
        roster_import.file.save(path.name, File(source), save=True)
    started = time.perf_counter()
    roster.roster_import_run(roster_import_id=roster_import.pk)
    elapsed = time.perf_counter() - started
    roster_import.refresh_from_db()
    assert roster_import.status == RosterImport.Status.DONE, roster_import.errors[:3]
    return elapsed, roster_import


def give_accounts_and_profiles(organization, rng):
    from accounts.models import User
    from profiles.framework import COMPETENCE_CODES
    from profiles.models import Competence, CompetencePix
    from students.models import OrganizationLearner

    competences = Competence.objects.in_bulk(field_name="code")
    learners = list(OrganizationLearner.objects.filter(organization=organization).order_by("pk"))
    User.objects.filter(username__startswith="bench.roster.pupil.").delete()
    users = User.objects.bulk_create(
        [User(username=f"bench.roster.pupil.{learner.pk}", password="!") for learner in learners],
        batch_size=1000,
    )
    for learner, user in zip(learners, users, strict=True):
        learner.user = user
    OrganizationLearner.objects.bulk_update(learners, ["user"], batch_size=1000)
    rows = []
    for user in users:
        for code in rng.sample(COMPETENCE_CODES, rng.randrange(0, 17)):
            rows.append(CompetencePix(user=user, competence=competences[code], pix=rng.randrange(0, 45)))
    CompetencePix.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def main():
    ensure_database()
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django_scopes import scope, scopes_disabled

    from students import siecle
    from students.certificability import organization_certificability_refresh
    from students.factories import write_siecle
    from students.models import OrganizationLearner
    from students.roster import roster_validate
    from students.roster_rows import MAX_UPLOAD_SIZE

    call_command("migrate", verbosity=0)
    rng = random.Random(3000)
    with tempfile.TemporaryDirectory() as folder, scopes_disabled():
        folder = Path(folder)
        settings.MEDIA_ROOT = folder / "media"
        organization, teacher = fresh_school()

        xml_path = folder / "ElevesSansAdresses.xml"
        pupils = siecle_pupils(PUPILS, rng)
        with xml_path.open("wb") as out:
            write_siecle(out, pupils, uai=UAI)
        zip_path = folder / "ExportXML_ElevesSansAdresses.zip"
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.write(xml_path, "ElevesSansAdresses.xml")
        print(
            f"\nSIECLE file of {PUPILS} pupils: {xml_path.stat().st_size / 1e6:.1f} MB of XML, "
            f"{zip_path.stat().st_size / 1e6:.2f} MB zipped"
        )

        with scope(organization=organization.pk):
            first, done = timed_import(organization, teacher, zip_path)
            print(f"  first import (creates {done.created_count} pupils)        {first:6.2f} s")
            again, done = timed_import(organization, teacher, zip_path)
            print(f"  same file again (nothing changes)            {again:6.2f} s")
            # A new school year: every pupil changes class.
            for pupil in pupils:
                pupil.division = DIVISIONS[(DIVISIONS.index(pupil.division) + 1) % len(DIVISIONS)]
            with xml_path.open("wb") as out:
                write_siecle(out, pupils, uai=UAI)
            year, done = timed_import(organization, teacher, xml_path)
            print(f"  next year's file (updates {done.updated_count} pupils)   {year:6.2f} s")

            pix_rows = give_accounts_and_profiles(organization, rng)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            timings = []
            for _ in range(RUNS):
                started = time.perf_counter()
                computed = organization_certificability_refresh(organization_id=organization.pk)
                timings.append(time.perf_counter() - started)
            certifiable = OrganizationLearner.objects.filter(
                organization=organization, certificability=OrganizationLearner.Certificability.CERTIFIABLE
            ).count()
            print(
                f"  certificabilité recomputed for {computed} pupils ({pix_rows} live pix rows, "
                f"{certifiable} certifiable): median {statistics.median(timings):.2f} s of {RUNS} runs "
                f"(goal < 5 s)"
            )

        # As many pupils as fit in the 20 MB an upload may weigh.
        large = folder / "large.xml"
        per_pupil = xml_path.stat().st_size / PUPILS
        with large.open("wb") as out:
            many = siecle_pupils(int(MAX_UPLOAD_SIZE * 0.99 / per_pupil), rng)
            write_siecle(out, many, uai=UAI)
            count = len(many)
        size = large.stat().st_size
        with large.open("rb") as source:
            started = time.perf_counter()
            validation = roster_validate(siecle.read_siecle(source, uai=UAI), siecle=True)
            elapsed = time.perf_counter() - started
        with large.open("rb") as source:
            tracemalloc.start()
            roster_validate(siecle.read_siecle(source, uai=UAI), siecle=True)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        assert len(validation.pupils) == count and not validation.errors
        print(
            f"  {size / 2**20:.1f} MiB SIECLE XML ({count} pupils): read and validated in {elapsed:.2f} s, "
            f"peak Python memory {peak / 1e6:.1f} MB (tracemalloc)"
        )
        OrganizationLearner.objects.filter(organization=organization).update(user=None)
        organization.delete()


if __name__ == "__main__":
    main()
