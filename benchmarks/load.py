"""Load test: 300 pupils send their profile within one minute, then one pupil clicks 50 times at once.

Each pupil goes the real way over HTTP: log in, open /campagnes/<CODE>, « C'est parti ! », the sending
page, « J'envoie mon profil », the thanks page, against gunicorn sized as in production. They arrive at
random over 45 seconds (a Poisson arrival: uniform times, drawn with a fixed seed), each on his own
thread, so that their requests overlap as a class's do; `--burst 30` makes whole classes start at the same
instant instead. Every request has a 60-second timeout and the whole run a deadline: it stops by itself.

Run alone: `.venv/bin/python -m benchmarks.load` (it builds the data first if needed).
"""

import argparse
import os
import random
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from .browser import Browser

P95_GOAL_MS = 300
WITHIN_SECONDS = 60
DEADLINE_SECONDS = 150
DOUBLE_CLICKS = 50
STEPS = ("login", "landing", "start", "send page", "send POST", "thanks")


@dataclass
class LoadResult:
    pupils: int = 0
    cpu: dict = field(default_factory=dict)
    alone: dict = field(default_factory=dict)
    timings: dict = field(default_factory=lambda: {step: [] for step in STEPS})
    errors: list = field(default_factory=list)
    completed: int = 0
    elapsed: float = 0.0
    sendings: int = 0
    duplicates: int = 0
    double_statuses: dict = field(default_factory=dict)
    double_sendings: int = 0

    def send_ms(self):
        return sorted(1000 * seconds for seconds in self.timings["send POST"])

    def failures(self):
        pupils = self.pupils
        send = self.send_ms()
        p95 = _percentile(send, 95) if send else float("inf")
        checks = [
            (p95 < P95_GOAL_MS, f"p95 of the sending POST {p95:.0f} ms ≥ {P95_GOAL_MS} ms"),
            (not self.errors, f"{len(self.errors)} errors"),
            (self.completed == pupils, f"{self.completed} of {pupils} pupils completed"),
            (self.elapsed <= WITHIN_SECONDS, f"took {self.elapsed:.0f} s, more than {WITHIN_SECONDS} s"),
            (self.sendings == pupils, f"{self.sendings} sendings in the database for {pupils} pupils"),
            (self.duplicates == 0, f"{self.duplicates} duplicate sendings"),
            (
                self.double_sendings == 1,
                f"{DOUBLE_CLICKS} simultaneous POSTs gave {self.double_sendings} sendings",
            ),
        ]
        return [message for ok, message in checks if not ok]


def _percentile(values, percent):
    """Nearest-rank percentile of sorted `values`."""
    rank = max(1, -(-len(values) * percent // 100))
    return values[int(rank) - 1]


def reset(dataset):
    """Empty the load campaign: every run starts with 300 pupils who have not sent yet."""
    from django.contrib.sessions.models import Session
    from django_scopes import scopes_disabled

    from campaigns.models import Campaign, Participation
    from campaigns.services import campaign_counters_rebuild
    from profiles.models import ProfileSnapshot

    with scopes_disabled():
        participations = Participation.objects.filter(campaign_id=dataset.campaigns["load"])
        snapshots = list(participations.exclude(snapshot=None).values_list("snapshot_id", flat=True))
        participations.delete()
        ProfileSnapshot.objects.filter(pk__in=snapshots).delete()
        campaign_counters_rebuild(campaign=Campaign.objects.get(pk=dataset.campaigns["load"]))
    Session.objects.all().delete()


def count_sendings(dataset, usernames):
    """(sendings, duplicates): sent participations of these pupils, and sendings beyond one per pupil."""
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from campaigns.models import Participation

    with scopes_disabled():
        per_user = (
            Participation.objects.filter(
                campaign_id=dataset.campaigns["load"],
                user__username__in=usernames,
                status=Participation.Status.SHARED,
            )
            .values("user_id")
            .annotate(n=Count("pk"))
        )
        counts = [row["n"] for row in per_user]
    return sum(counts), sum(n - 1 for n in counts)


def _urls(dataset):
    from django.urls import reverse

    code = dataset.load_code
    return {"login": reverse("login"), "landing": reverse("pupil:landing", args=[code])}


def pupil_flow(base_url, urls, username, password, timings, lock):
    """One pupil's way from the login page to the thanks page; the timing of each step."""
    browser = Browser(base_url)
    mine = {}
    try:
        _, mine["login"] = browser.login(urls["login"], username, password)
        landing, mine["landing"] = browser.get(urls["landing"])
        started, mine["start"] = browser.submit(landing, button="C'est parti")
        send_page, mine["send page"] = browser.get(started.headers["Location"])
        sent, mine["send POST"] = browser.submit(send_page, field="participation")
        _, mine["thanks"] = browser.get(sent.headers["Location"])
    finally:
        browser.close()
        with lock:
            for step, seconds in mine.items():
                timings[step].append(seconds)


def double_click(base_url, urls, username, password):
    """One pupil on the sending page POSTs the form 50 times at the same instant: status → count."""
    browser = Browser(base_url)
    browser.login(urls["login"], username, password)
    landing, _ = browser.get(urls["landing"])
    started, _ = browser.submit(landing, button="C'est parti")
    send_page, _ = browser.get(started.headers["Location"])
    tabs = [browser.clone() for _ in range(DOUBLE_CLICKS)]
    barrier = threading.Barrier(DOUBLE_CLICKS)

    def click(tab):
        barrier.wait()
        try:
            response, _ = tab.submit(send_page, field="participation", expect=None)
            return response.status_code
        except Exception as error:
            return type(error).__name__
        finally:
            tab.close()

    with ThreadPoolExecutor(DOUBLE_CLICKS) as pool:
        statuses = list(pool.map(click, tabs))
    browser.close()
    return {status: statuses.count(status) for status in sorted(set(statuses), key=str)}


def pupil_alone(dataset):
    """One pupil's flow in-process, on a quiet server: each step's queries and time, whatever the load of
    the machine. {step: (queries, ms)}."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    from .browser import find_form

    urls = _urls(dataset)
    client = Client(HTTP_HOST="127.0.0.1")
    pupil = User.objects.get(username=dataset.load_pupils[0])
    steps = {}

    def step(name, method, path, data=None, expect=200):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = getattr(client, method)(path, data)
            steps[name] = (len(context), 1000 * (time.perf_counter() - started))
        if response.status_code != expect:
            raise RuntimeError(f"{name} answered {response.status_code} in-process, expected {expect}")
        return response

    # The second pass is measured: the first one loads templates and warms the caches.
    for _ in range(2):
        client.force_login(pupil)
        landing = step("landing", "get", urls["landing"])
        start_form = dict(find_form(landing.content.decode(), button="C'est parti").fields)
        send_url = step("start", "post", urls["landing"], start_form, expect=302)["Location"]
        send_page = step("send page", "get", send_url)
        send_form = dict(find_form(send_page.content.decode(), field="participation").fields)
        thanks_url = step("send POST", "post", send_url, send_form, expect=302)["Location"]
        step("thanks", "get", thanks_url)
        reset(dataset)
    return steps


def arrivals(pupils, window, burst, seed=300):
    """When each pupil starts, in seconds: groups of `burst` pupils at uniform random times."""
    rng = random.Random(seed)
    groups = sorted(rng.uniform(0, window) for _ in range(-(-pupils // burst)))
    return [groups[index // burst] for index in range(pupils)]


def run_load(dataset, *, pupils=300, window=45.0, burst=1, workers=4, threads=4, log=print):
    from .server import CpuMeter, Gunicorn

    reset(dataset)
    alone = pupil_alone(dataset)
    pupils = min(pupils, len(dataset.load_pupils))
    usernames = dataset.load_pupils[:pupils]
    result = LoadResult(pupils=pupils, alone=alone)
    lock = threading.Lock()
    urls = _urls(dataset)
    with Gunicorn(workers=workers, threads=threads, name="load") as server:
        together = f" by groups of {burst}" if burst > 1 else ""
        log(f"Load: {pupils} pupils arriving{together} over {window:g} s, against {server.describe()}")
        schedule = arrivals(pupils, window, burst)
        start = time.monotonic()
        deadline = start + DEADLINE_SECONDS

        def pupil(index, username):
            time.sleep(max(0.0, start + schedule[index] - time.monotonic()))
            if time.monotonic() > deadline:
                raise TimeoutError("deadline reached before this pupil started")
            pupil_flow(server.base_url, urls, username, dataset.password, result.timings, lock)

        with CpuMeter(server) as cpu, ThreadPoolExecutor(max_workers=pupils) as pool:
            futures = [pool.submit(pupil, index, name) for index, name in enumerate(usernames)]
            for future in futures:
                try:
                    future.result(timeout=max(1.0, deadline - time.monotonic()))
                    result.completed += 1
                except Exception as error:
                    # A failed pupil is an error of the run, counted and named, not a crash of it.
                    result.errors.append(f"{type(error).__name__}: {error}")
        result.elapsed = time.monotonic() - start
        result.cpu = cpu.summary()
        result.sendings, result.duplicates = count_sendings(dataset, usernames)
        result.double_statuses = double_click(server.base_url, urls, dataset.double_pupil, dataset.password)
        result.double_sendings, _ = count_sendings(dataset, [dataset.double_pupil])
        if server.worker_timeouts():
            result.errors.append(f"gunicorn killed {server.worker_timeouts()} workers for their timeout")
    return result


def report(result, log=print):
    pupils = result.pupils
    log(
        f"  {'step':<12} {'p50':>8} {'p95':>8} {'max':>8}   (ms, {len(result.timings['send POST'])} pupils)"
        "   alone, in-process: queries, ms"
    )
    for step in STEPS:
        values = sorted(1000 * seconds for seconds in result.timings[step])
        queries, alone = result.alone.get(step, ("", None))
        alone = f"{queries:>4} {alone:6.1f}" if alone is not None else ""
        if values:
            log(
                f"  {step:<12} {statistics.median(values):8.1f} {_percentile(values, 95):8.1f} "
                f"{values[-1]:8.1f}   {alone:<33}{'← goal p95 < 300 ms' if step == 'send POST' else ''}"
            )
    log(
        f"  completed {result.completed}/{pupils} pupils in {result.elapsed:.1f} s",
        f"(goal ≤ {WITHIN_SECONDS} s)",
    )
    log(f"  errors {len(result.errors)}")
    for error in result.errors[:10]:
        log(f"    {error}")
    log(
        f"  sendings in the database {result.sendings} (goal {pupils}),",
        f"duplicates {result.duplicates} (goal 0)",
    )
    statuses = ", ".join(f"{count} × {status}" for status, count in result.double_statuses.items())
    log(
        f"  {DOUBLE_CLICKS} simultaneous POSTs of one pupil: {statuses}",
        f"→ {result.double_sendings} sending (goal 1)",
    )
    if result.cpu:
        cpu = result.cpu
        log(
            f"  CPU in {cpu['wall_s']:.0f} s on {os.cpu_count()} cores: gunicorn {cpu['gunicorn_s']:.1f} s "
            f"({1000 * cpu['gunicorn_s'] / max(1, pupils):.0f} ms a pupil), "
            f"PostgreSQL {cpu['postgres_s']:.1f} s, "
            f"the clients {cpu['client_s']:.1f} s; load average {cpu['load_average'][0]:.1f} → "
            f"{cpu['load_average'][1]:.1f}"
        )
    failures = result.failures()
    log(f"  {'PASS' if not failures else 'FAIL: ' + '; '.join(failures)}")
    return failures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pupils", type=int, default=300)
    parser.add_argument("--window", type=float, default=45.0, help="seconds over which the pupils arrive")
    parser.add_argument("--burst", type=int, default=1, help="pupils who start at the same instant")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the benchmark data")
    args = parser.parse_args(argv)
    from .run import prepare

    dataset = prepare(rebuild=args.rebuild)
    result = run_load(
        dataset,
        pupils=args.pupils,
        window=args.window,
        burst=args.burst,
        workers=args.workers,
        threads=args.threads,
    )
    return 1 if report(result) else 0


if __name__ == "__main__":
    sys.exit(main())
