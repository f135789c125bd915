"""Rebuild the demo lycée's SIECLE export from seed_demo's roster, in a throw-away SQLite database.

.venv/bin/python students/demo/build.py
"""

import os
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

# Pupils who arrive, leave, move or are not imported: see students/demo/__init__.py.
NEWCOMERS = [
    ("0800000001KA", "Benali", "Yasmine", "12/02/2010", "F", "2NDE1"),
    ("0800000002KB", "Lopez", "Mathéo", "30/06/2010", "M", "2NDE1"),
    ("0800000003KC", "Nguyen", "Linh", "08/11/2009", "F", "2NDE2"),
    ("0800000004KD", "O'Brien", "Kévin", "17/04/2010", "M", "2NDE2"),
]
NOT_IMPORTED = [
    ("", "Sans-Ine", "Paul", "03/03/2010", "M", "2NDE2"),
    ("0800000006KF", "Martel", "Agathe", "09/09/2009", "F", "Inactifs"),
]
EXIT_DATE = "20/12/2025"


def build(path):
    from django.core.management import call_command
    from django_scopes import scopes_disabled

    from campaigns.management.commands.seed_demo import UAI
    from students.factories import SieclePupil, siecle_xml
    from students.models import OrganizationLearner

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with scopes_disabled():
        learners = list(
            OrganizationLearner.objects.filter(organization__external_id=UAI).order_by("division", "pk")
        )
    pupils = []
    tg2 = [learner for learner in learners if learner.division == "TG2"]
    gone = next(learner for learner in learners if learner.division == "1G2")
    for learner in learners:
        if learner == gone:
            continue
        division = learner.division
        if learner == next(le for le in learners if le.division == "2NDE2"):
            division = "2NDE1"  # moved to another class
        pupils.append(
            SieclePupil(
                ine=learner.national_student_id,
                last_name=learner.last_name,
                first_name=learner.first_name,
                birthdate=f"{learner.birthdate:%d/%m/%Y}",
                division=division,
                sex="1" if learner.sex == "M" else "2",
                exit_date=EXIT_DATE if learner in tg2[-2:] else "",
            )
        )
    for ine, last_name, first_name, birthdate, sex, division in NEWCOMERS + NOT_IMPORTED:
        pupils.append(
            SieclePupil(
                ine=ine,
                last_name=last_name,
                first_name=first_name,
                birthdate=birthdate,
                division=division,
                sex="1" if sex == "M" else "2",
            )
        )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("ElevesSansAdresses.xml", siecle_xml(pupils, uai=UAI, year="2025"))


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/demo.sqlite3"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
        import django

        django.setup()
        from students.demo import DEMO_SIECLE_FILE

        build(DEMO_SIECLE_FILE)
        print(f"{DEMO_SIECLE_FILE.relative_to(ROOT)} : {DEMO_SIECLE_FILE.stat().st_size} octets")
