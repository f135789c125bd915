"""gunicorn started and stopped by the benchmark, on a free port of 127.0.0.1, and its workers' memory."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from .env import OUT, ROOT, environment

READY_TIMEOUT = 30


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`with Gunicorn(workers=2) as server:` serves pixorga at `server.base_url` until the block ends.

    The worker timeout stays gunicorn's default (30 s), as in production: a request that outlives it is
    cut short, and the measure shows it.
    """

    def __init__(self, *, workers=2, threads=1, name="pages"):
        self.workers = workers
        self.threads = threads
        self.log_path = OUT / f"gunicorn-{name}.log"
        self.process = None
        self.base_url = ""

    def describe(self):
        kind = f"gthread, {self.threads} threads each" if self.threads > 1 else "sync"
        return f"gunicorn, {self.workers} workers ({kind}), DEBUG=0"

    def __enter__(self):
        port = free_port()
        self.base_url = f"http://127.0.0.1:{port}/"
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "pixorga.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={self.workers}",
            f"--worker-class={'gthread' if self.threads > 1 else 'sync'}",
            f"--threads={self.threads}",
            "--log-level=warning",
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("w") as output:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=environment(), stdin=subprocess.DEVNULL, stdout=output, stderr=output
            )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self):
        deadline = time.monotonic() + READY_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                answered = requests.get(self.base_url + "connexion/", timeout=5).status_code == 200
            except requests.RequestException:
                answered = False
            if answered and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {READY_TIMEOUT} s:\n{self.log_tail()}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except FileNotFoundError:
            return []

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except FileNotFoundError:
            return ""

    def worker_timeouts(self):
        """How many times gunicorn killed a worker for outliving its timeout, by its log."""
        return self.log_path.read_text().count("WORKER TIMEOUT")


def cpu_seconds(pid):
    """User and system CPU time a process has used, from /proc; 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU used while the block runs by gunicorn's workers, by the PostgreSQL backends of the benchmark
    database and by this process (the clients): where the time of a load test goes."""

    def __init__(self, server):
        self.server = server

    @staticmethod
    def _backends():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def _sample(self):
        return (
            {pid: cpu_seconds(pid) for pid in self.server.worker_pids()},
            {pid: cpu_seconds(pid) for pid in self._backends()},
            time.process_time(),
            time.monotonic(),
            os.getloadavg()[0],
        )

    def __enter__(self):
        self.start = self._sample()
        return self

    def __exit__(self, *exc):
        self.end = self._sample()

    def summary(self):
        (workers, backends, client, wall, load), end = self.start, self.end
        used_by_workers = sum(seconds - workers.get(pid, 0.0) for pid, seconds in end[0].items())
        used_by_backends = sum(seconds - backends.get(pid, 0.0) for pid, seconds in end[1].items())
        return {
            "gunicorn_s": used_by_workers,
            "postgres_s": used_by_backends,
            "client_s": end[2] - client,
            "wall_s": end[3] - wall,
            "load_average": (load, end[4]),
        }


def rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except FileNotFoundError:
        pass
    return 0.0


class RssSampler:
    """The resident memory of the workers, sampled every 20 ms while the block runs: before, peak, after
    for the worker that grew most."""

    def __init__(self, pids):
        self.pids = pids
        self.before = {pid: rss_mb(pid) for pid in pids}
        self.peak = dict(self.before)
        self.after = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.wait(0.02):
            for pid in self.pids:
                self.peak[pid] = max(self.peak[pid], rss_mb(pid))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.after = {pid: rss_mb(pid) for pid in self.pids}

    def grown(self):
        """(before, peak, after) in MB of the worker whose peak grew most."""
        pid = max(self.pids, key=lambda pid: self.peak[pid] - self.before[pid])
        return self.before[pid], self.peak[pid], self.after[pid]
