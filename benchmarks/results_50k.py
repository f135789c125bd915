"""Benchmark: a campaign of 50,000 participants on PostgreSQL.

Prints the median time of the results tab (first page, filtered page, sorted page) and of the CSV export,
and the export's peak Python memory. Run it with `make benchmark` (DATABASE_URL defaults to a
`pixorga_bench` database on the local PostgreSQL, created on first run; the data are built once).
"""

import os
import random
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixorga.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pixorga_bench")

import django
import psycopg

PARTICIPANTS = int(os.environ.get("BENCH_PARTICIPANTS", "50000"))
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
CAMPAIGN_NAME = f"Benchmark {PARTICIPANTS}"


def ensure_database():
    url = os.environ["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def build():
    from django.utils import timezone

    from accounts.models import Membership, Organization, User
    from campaigns.models import Campaign, Participation
    from campaigns.services import campaign_create
    from profiles.framework import COMPETENCE_CODES
    from profiles.models import ProfileSnapshot
    from profiles.scoring import summarize_profile
    from students.models import OrganizationLearner
    from students.names import normalize_name

    campaign = Campaign.objects.filter(name=CAMPAIGN_NAME).first()
    if campaign:
        return campaign, campaign.owner
    started = time.perf_counter()
    rng = random.Random(50_000)
    organization = Organization.objects.create(name="Lycée du benchmark", external_id=f"B{PARTICIPANTS}")
    teacher = User.objects.create(username=f"bench.teacher.{PARTICIPANTS}")
    Membership.objects.create(organization=organization, user=teacher, role=Membership.Role.ADMIN)
    campaign = campaign_create(organization=organization, creator=teacher, name=CAMPAIGN_NAME)
    now = timezone.now()
    batch = 5000
    for start in range(0, PARTICIPANTS, batch):
        size = min(batch, PARTICIPANTS - start)
        users = User.objects.bulk_create(
            [User(username=f"bench{PARTICIPANTS}.{start + i}", password="!") for i in range(size)]
        )
        learners = []
        for i, user in enumerate(users):
            first, last = f"Prénom{(start + i) % 997}", f"Nom{(start + i) % 4999}"
            learners.append(
                OrganizationLearner(
                    organization=organization,
                    user=user,
                    first_name=first,
                    last_name=last,
                    normalized_first_name=normalize_name(first),
                    normalized_last_name=normalize_name(last),
                    division=f"C{(start + i) % 60:02d}",
                )
            )
        learners = OrganizationLearner.objects.bulk_create(learners)
        snapshots = []
        for user in users:
            count = rng.randrange(0, 17)
            pix = {code: rng.randrange(0, 45) for code in rng.sample(COMPETENCE_CODES, count)}
            summary = summarize_profile(pix, max_level=5)
            snapshots.append(
                ProfileSnapshot(
                    user=user,
                    taken_at=now,
                    max_reachable_level=5,
                    competences={c: {"pix": r.pix, "level": r.level} for c, r in summary.competences.items()},
                    pix_score=summary.pix_score,
                    certifiable_competences_count=summary.certifiable_competences_count,
                    is_certifiable=summary.is_certifiable,
                )
            )
        snapshots = ProfileSnapshot.objects.bulk_create(snapshots)
        Participation.objects.bulk_create(
            [
                Participation(
                    campaign=campaign,
                    user=user,
                    learner=learner,
                    status=Participation.Status.SHARED,
                    shared_at=now - timezone.timedelta(minutes=rng.randrange(60 * 24 * 30)),
                    snapshot=snapshot,
                )
                for user, learner, snapshot in zip(users, learners, snapshots, strict=True)
            ]
        )
        print(f"  built {start + size} participants", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"Data built in {time.perf_counter() - started:.0f} s")
    return campaign, teacher


def median_ms(fn):
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main():
    ensure_database()
    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    campaign, teacher = build()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(teacher)
    results = reverse("campaigns:results", args=[campaign.pk])
    export = reverse("campaigns:export", args=[campaign.pk])

    def get(url, params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200, response.status_code
        return response

    cases = {
        "results, first page": lambda: get(results),
        "results, 2 classes + non certifiables": lambda: get(
            results, {"classe": ["C01", "C02"], "certifiable": "non"}
        ),
        "results, sorted by score, page 100": lambda: get(results, {"tri": "-score", "page": 100}),
        "results, name search": lambda: get(results, {"recherche": "nom42"}),
        "campaign list": lambda: get(reverse("campaigns:list")),
        "activity tab": lambda: get(reverse("campaigns:detail", args=[campaign.pk])),
    }
    print(f"\n{PARTICIPANTS} participants, median of {RUNS} runs, PostgreSQL")
    for label, case in cases.items():
        print(f"  {label:<42} {median_ms(case):8.1f} ms")

    def consume_export():
        size = 0
        for chunk in get(export).streaming_content:
            size += len(chunk)
        return size

    export_ms = median_ms(consume_export)
    tracemalloc.start()
    size = consume_export()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {'CSV export (whole file)':<42} {export_ms:8.1f} ms")
    print(f"  CSV export: {size / 1e6:.1f} MB, peak Python memory {peak / 1e6:.1f} MB (tracemalloc)")


if __name__ == "__main__":
    main()
