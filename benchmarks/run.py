"""`make benchmark`: the goals of issue 11 measured in one run, as ratios of two sizes of the same data.

1. Data: built once with COPY on the `pixorga_bench` PostgreSQL database, reused by later runs.
2. Query counts: each page once in-process (Django's test client, CaptureQueriesContext), which also
   logs every query with its time.
3. Teacher pages over HTTP against gunicorn (2 workers, DEBUG=0): the median of N interleaved rounds
   (small, large, small, large…) for each page.
4. The CSV export of 50,000 rows over HTTP against PostgreSQL's COPY of the same cells, and the memory of
   the gunicorn worker that served it.
5. The load test (benchmarks/load.py).
6. EXPLAIN (ANALYZE, BUFFERS) of the slowest queries logged at the large size.

Exits 1 when a goal is missed, after printing everything. `--help` lists the options.
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

from . import env
from .browser import Browser, PageError

EXPORT_GOAL = 1.5
EXPORT_MEMORY_GOAL_MB = 50
BUILD_GOAL_SECONDS = 120


def log(*parts):
    print(*parts, flush=True)


def prepare(*, rebuild=False):
    """The benchmark database migrated and filled, static files collected: the dataset to measure."""
    # Stopped from outside, the run still stops the gunicorn it started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    env.ensure_database(rebuild=rebuild)
    env.setup_django()
    from django.core.management import call_command
    from django.db import connections

    from . import data

    call_command("migrate", verbosity=0)
    dataset, reason = data.dataset_or_reason()
    if dataset is None:
        log(f"Building the data ({reason}) on {env.database_name(env.database_url())}…")
        started = time.perf_counter()
        connections.close_all()
        env.ensure_database(rebuild=True)
        call_command("migrate", verbosity=0)
        dataset = data.build(log=log)
        took = time.perf_counter() - started
        if took > BUILD_GOAL_SECONDS:
            log(f"  note: the build took {took:.0f} s, more than its budget of {BUILD_GOAL_SECONDS} s")
    else:
        name = env.database_name(env.database_url())
        log(f"Reusing the data of an earlier run on {name} (--rebuild to build them again)")
    call_command("collectstatic", interactive=False, verbosity=0)
    env.flush_redis()
    return dataset


def count_queries(dataset, cases):
    """One in-process request per page and size, after one to warm up: ({(label, size): [(ms, sql), …]},
    {(label, size): ms of the whole request})."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    clients = {}
    logged, totals = {}, {}
    for case in cases:
        if case.skipped:
            continue
        for size, visit in (("small", case.small), ("large", case.large)):
            if visit.teacher not in clients:
                clients[visit.teacher] = Client(HTTP_HOST="127.0.0.1")
                clients[visit.teacher].force_login(User.objects.get(username=dataset.teachers[visit.teacher]))
            client = clients[visit.teacher]
            client.get(visit.path, visit.params)
            with CaptureQueriesContext(connection) as context:
                started = time.perf_counter()
                response = client.get(visit.path, visit.params)
                totals[case.label, size] = 1000 * (time.perf_counter() - started)
            if response.status_code != 200:
                raise PageError(f"{visit.path} {visit.params} answered {response.status_code} in-process")
            logged[case.label, size] = [(1000 * float(query["time"]), query["sql"]) for query in context]
    return logged, totals


def where_time_goes(cases, queries, totals):
    """Of one in-process request, the time in SQL and the rest (Python, templates): which one grows."""
    log("\nWhere the time goes, one in-process request (ms): whole request = SQL + the rest")
    log(f"{'page':<36} {'small':>22} {'large':>22}   slowest query at the large size")
    for case in cases:
        if case.skipped:
            continue
        cells = []
        for size in ("small", "large"):
            total = totals[case.label, size]
            sql = sum(milliseconds for milliseconds, _ in queries[case.label, size])
            cells.append(f"{total:6.0f} = {sql:5.0f} + {total - sql:5.0f}")
        slowest = max(queries[case.label, "large"], default=(0, ""))
        log(f"{case.label:<36} {cells[0]:>22} {cells[1]:>22}   {slowest[0]:.0f} ms: {slowest[1][:60]}…")


def time_pages(server, dataset, cases, rounds):
    """{label: (small seconds, large seconds)}: medians of interleaved rounds over real HTTP."""
    from django.urls import reverse

    browsers = {}
    for case in cases:
        for visit in (case.small, case.large):
            if visit and visit.teacher not in browsers:
                browser = Browser(server.base_url)
                browser.login(reverse("login"), dataset.teachers[visit.teacher], dataset.password)
                browsers[visit.teacher] = browser
    medians = {}
    for case in cases:
        if case.skipped:
            continue
        visits = (case.small, case.large)
        for visit in visits:
            browsers[visit.teacher].get(visit.path, visit.params)
        samples = ([], [])
        for _ in range(rounds):
            for visit, sample in zip(visits, samples, strict=True):
                sample.append(browsers[visit.teacher].get(visit.path, visit.params)[1])
        medians[case.label] = tuple(statistics.median(sample) for sample in samples)
    return medians


def page_table(cases, medians, queries, rounds, server):
    from .pages import MAX_QUERIES

    log(f"\nTeacher pages — {server.describe()}, median of {rounds} interleaved rounds")
    columns = ("small", "large", "ratio", "goal", "queries")
    header = f"{'page':<36} {'sizes':<27} " + " ".join(f"{name:>9}" for name in columns) + "  result"
    log(header)
    log("-" * len(header))
    rows, failures = [], []
    for case in cases:
        if case.skipped:
            log(f"{case.label:<36} {case.sizes:<27} skipped: {case.skipped}")
            rows.append({"page": case.label, "skipped": case.skipped})
            continue
        small, large = medians[case.label]
        ratio = large / small
        counts = (len(queries[case.label, "small"]), len(queries[case.label, "large"]))
        if ratio > case.goal:
            failures.append(f"{case.label}: {ratio:.2f}× (goal {case.goal}×)")
        if max(counts) > MAX_QUERIES:
            failures.append(f"{case.label}: {max(counts)} queries (goal ≤ {MAX_QUERIES})")
        ok = ratio <= case.goal and max(counts) <= MAX_QUERIES
        log(
            f"{case.label:<36} {case.sizes:<27} {1000 * small:6.1f} ms {1000 * large:6.1f} ms "
            f"{ratio:8.2f}× {case.goal:8.1f}× {counts[0]:>5} /{counts[1]:>3}  {'PASS' if ok else 'FAIL'}"
        )
        rows.append(
            {
                "page": case.label,
                "sizes": case.sizes,
                "small_ms": round(1000 * small, 1),
                "large_ms": round(1000 * large, 1),
                "ratio": round(ratio, 2),
                "queries": counts,
                "pass": ok,
            }
        )
    log(f"(goal: large ≤ {cases[0].goal}× small, ≤ {MAX_QUERIES} queries a page at both sizes)")
    return rows, failures


def measure_export(server, dataset, rounds):
    """The whole CSV over HTTP against COPY of the same cells, interleaved; the worker's memory."""
    import requests
    from django.urls import reverse
    from django_scopes import scopes_disabled

    from campaigns.models import Campaign

    from .export_copy import copy_export, same_cells
    from .server import RssSampler

    with scopes_disabled():
        campaign = Campaign.objects.select_related("organization").get(pk=dataset.campaigns["large"])
    browser = Browser(server.base_url)
    browser.login(reverse("login"), dataset.teachers["large"], dataset.password)
    path = reverse("campaigns:export", args=[campaign.pk])
    http_times, copy_times, problems = [], [], []
    body = copied = b""
    with RssSampler(server.worker_pids()) as memory:
        for _ in range(rounds):
            started = time.perf_counter()
            try:
                response, _ = browser.get(path, stream=True)
                body = b"".join(response.iter_content(chunk_size=1 << 16))
            except (requests.RequestException, PageError) as error:
                problems.append(f"the HTTP export was cut short: {type(error).__name__}: {error}")
                break
            http_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            copied = copy_export(campaign)
            copy_times.append(time.perf_counter() - started)
    if server.worker_timeouts():
        problems.append(f"gunicorn killed a worker for its timeout ({server.worker_timeouts()} times)")
    before, peak, after = memory.grown()
    result = {"rounds": len(http_times), "problems": problems}
    log(f"\nCSV export of the large campaign over HTTP vs COPY of the same cells, median of {rounds} rounds")
    if http_times:
        difference = same_cells(body, copied)
        if difference:
            problems.append(
                f"the COPY yardstick no longer writes the export's cells ({difference}): "
                "update benchmarks/export_copy.py"
            )
        http, copy = statistics.median(http_times), statistics.median(copy_times)
        ratio = http / copy
        rows = body.count(b"\n") - 1
        result.update(
            http_s=round(http, 3),
            copy_s=round(copy, 3),
            ratio=round(ratio, 2),
            rows=rows,
            megabytes=round(len(body) / 1e6, 1),
            rss_before_mb=round(before, 1),
            rss_peak_mb=round(peak, 1),
            rss_after_mb=round(after, 1),
        )
        log(f"  HTTP export      {http:7.2f} s   {rows:,} rows, {len(body) / 1e6:.1f} MB")
        log(f"  COPY … TO STDOUT {copy:7.2f} s   same cells: {'yes' if not difference else 'NO'}")
        verdict = "PASS" if ratio <= EXPORT_GOAL else "FAIL"
        log(f"  ratio            {ratio:7.2f}×  (goal ≤ {EXPORT_GOAL}×)  {verdict}")
        growth = peak - before
        verdict = "PASS" if growth < EXPORT_MEMORY_GOAL_MB else "FAIL"
        log(
            f"  worker RSS       {before:.0f} MB before, {peak:.0f} MB peak, {after:.0f} MB after: "
            f"+{growth:.0f} MB (goal < +{EXPORT_MEMORY_GOAL_MB} MB)  {verdict}"
        )
        if ratio > EXPORT_GOAL:
            problems.append(f"{ratio:.2f}× COPY (goal {EXPORT_GOAL}×)")
        if growth >= EXPORT_MEMORY_GOAL_MB:
            problems.append(f"worker memory +{growth:.0f} MB (goal < +{EXPORT_MEMORY_GOAL_MB} MB)")
    for problem in problems:
        log(f"  FAIL: {problem}")
    return result, [f"export: {problem}" for problem in problems]


def explain_slowest(queries, count):
    """EXPLAIN (ANALYZE, BUFFERS) of the `count` slowest distinct queries logged at the large size."""
    from django.db import connection

    slowest = {}
    for (label, size), logged in queries.items():
        for milliseconds, sql in logged if size == "large" else ():
            if milliseconds > slowest.get(sql, (0, ""))[0]:
                slowest[sql] = (milliseconds, label)
    ranked = sorted(slowest.items(), key=lambda item: -item[1][0])[:count]
    plans = []
    for sql, (milliseconds, label) in ranked:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        plans.append({"page": label, "logged_ms": round(milliseconds, 1), "sql": sql, "plan": plan})
        log(f"\nSlow query of « {label} » at the large size ({milliseconds:.0f} ms in the query log):")
        log(sql)
        log(plan)
    return plans


def main(argv=None):
    parser = argparse.ArgumentParser(description="The performance goals of issue 11, measured in one run.")
    parser.add_argument(
        "--rebuild", action="store_true", help="drop the benchmark database and build it again"
    )
    parser.add_argument("--rounds", type=int, default=9, help="interleaved rounds per page (default 9)")
    parser.add_argument(
        "--export-rounds", type=int, default=3, help="rounds of the export and COPY (default 3)"
    )
    parser.add_argument("--explain", type=int, default=2, help="slowest queries to EXPLAIN (default 2)")
    parser.add_argument("--no-load", action="store_true", help="leave out the load test")
    args = parser.parse_args(argv)

    dataset = prepare(rebuild=args.rebuild)
    from .load import report, run_load
    from .pages import cases as page_cases
    from .server import Gunicorn

    cases = page_cases(dataset)
    summary = {"context": context()}
    log(summary["context"])
    failures = []
    queries, totals = count_queries(dataset, cases)
    with Gunicorn(workers=2, name="pages") as server:
        medians = time_pages(server, dataset, cases, args.rounds)
        summary["pages"], missed = page_table(cases, medians, queries, args.rounds, server)
        failures += missed
        where_time_goes(cases, queries, totals)
        summary["export"], missed = measure_export(server, dataset, args.export_rounds)
        failures += missed
    if not args.no_load:
        log("")
        result = run_load(dataset, log=log)
        missed = report(result, log=log)
        summary["load"] = {
            "send_post_ms": result.send_ms(),
            "errors": result.errors,
            "sendings": result.sendings,
            "duplicates": result.duplicates,
            "double_sendings": result.double_sendings,
            "elapsed_s": round(result.elapsed, 1),
            "cpu": result.cpu,
            "failures": missed,
        }
        failures += [f"load: {failure}" for failure in missed]
    if args.explain:
        summary["explain"] = explain_slowest(queries, args.explain)
    summary["queries"] = {f"{label} / {size}": logged for (label, size), logged in queries.items()}
    summary["failures"] = failures
    (env.OUT / "last-run.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    log(f"\nEvery query and figure of this run: {env.OUT.relative_to(env.ROOT) / 'last-run.json'}")
    log(f"Load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores.")
    if failures:
        log(f"Benchmark: {len(failures)} goals missed (exit code 1):")
        for failure in failures:
            log(f"  - {failure}")
        return 1
    log("Benchmark: every goal is met.")
    return 0


def context():
    """What the figures depend on: the code measured, the machine and its load, the database."""
    from django.db import connection

    def git(*arguments):
        command = ["git", *arguments]
        return subprocess.run(command, cwd=env.ROOT, capture_output=True, text=True, check=False).stdout  # noqa: S603

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    dirty = (
        " with uncommitted changes" if git("status", "--porcelain", "--untracked-files=no").strip() else ""
    )
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return (
        f"\nCommit {commit}{dirty}, {time.strftime('%Y-%m-%d %H:%M')}; {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f}; PostgreSQL {version}, database {connection.settings_dict['NAME']}"
    )


if __name__ == "__main__":
    sys.exit(main())
