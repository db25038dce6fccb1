"""Concurrent API clients against a real server process: requests/s and p95 for 50 clients against one.

The demo county is loaded into a scratch database; the county administrator's API token drives a mix of
reads and writes as another system would (per request, by weight: subject list 30%, a subject's status
20%, the county's rates by town 20%, the event list 10%, recording an event 20%). For each server set-up
the run measures one client alone for ``--seconds``, then ``--clients`` clients together for as long, each
client on its own keep-alive connection. Afterwards every event the server answered 201 for must be in the
database exactly once ("lost writes" must be 0) and every answer must be 2xx.

Server set-ups, in the same run so the figures compare on the same machine and data:
  waitress   ``sanling serve --threads 8``: one process (the demo's server)
  gunicorn   ``gunicorn -c deploy/gunicorn.conf.py sanling.wsgi``: the production set-up of docs/operations.md

    .venv/bin/python bench/load_bench.py                      # PostgreSQL (BENCH_DATABASE_URL), both servers
    .venv/bin/python bench/load_bench.py --servers gunicorn --clients 50 --seconds 60
"""

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import DEFAULT_PG, ROOT, machine, percentile

READS = [("subjects", 30), ("status", 20), ("rates", 20), ("events", 10)]
WRITE_SHARE = 20
YEAR = "2025"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _prepare(url: str, folder: Path) -> dict:
    """Migrate and load the demo county into ``url``; return a token and the codes the clients use."""
    if url.startswith("postgres"):
        import psycopg

        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    environment = _environment(url, folder)
    sanling = str(ROOT / ".venv" / "bin" / "sanling")
    subprocess.run([sanling, "migrate", "--verbosity", "0"], env=environment, check=True)
    subprocess.run([sanling, "demo", "--no-serve"], env=environment, check=True, stdout=subprocess.DEVNULL)
    script = """
import json
from django.contrib.auth import get_user_model
from sanling.accounts.services import api_token_create
from sanling.regions.models import Region
from sanling.subjects.models import Subject
user = get_user_model().objects.get(username="admin")
token, key = api_token_create(user=user, name="load bench")
from sanling.demo.county import COUNTY
county = Region.objects.get(code=COUNTY[0])
towns = list(Region.objects.filter(parent=county).values_list("code", flat=True))
subjects = list(Subject.objects.filter(retired_on__isnull=True).values_list("code", flat=True)[:400])
print(json.dumps({"key": key, "county": county.code, "towns": towns, "subjects": subjects}))
"""
    answer = subprocess.run(
        [sanling, "shell", "-c", script], env=environment, check=True, capture_output=True, text=True
    )
    return json.loads(answer.stdout.strip().splitlines()[-1])


def _environment(url: str, folder: Path) -> dict:
    return os.environ | {
        "DATABASE_URL": url,
        "SANLING_VAR_DIR": str(folder),
        "SANLING_LANDING_YEAR": YEAR,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "60",
        "PYTHONUNBUFFERED": "1",
    }


def _start(server: str, port: int, environment: dict) -> subprocess.Popen:
    if server == "waitress":
        command = [str(ROOT / ".venv/bin/sanling"), "serve", "--port", str(port), "--threads", "8"]
    else:
        command = [str(ROOT / ".venv/bin/gunicorn"), "-c", str(ROOT / "deploy/gunicorn.conf.py")]
        command += ["--bind", f"127.0.0.1:{port}", "sanling.wsgi"]
    # The server logs a JSON line per request: into a file, as a pipe nobody reads would fill and stall it.
    log = Path(environment["SANLING_VAR_DIR"]) / f"{server}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise SystemExit(log.read_text()[-2000:]) from None
            time.sleep(0.2)


class Client(threading.Thread):
    """One system pushing and reading through its own keep-alive connection until ``stop`` is set."""

    def __init__(self, port: int, data: dict, stop: threading.Event, number: int, run: str):
        super().__init__(daemon=True)
        self.port, self.data, self.stop, self.run_name = port, data, stop, run
        self.random = random.Random(number)
        self.number = number
        self.latencies: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.errors: list[str] = []
        self.written: list[str] = []
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def _request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.data['key']}", "Host": "127.0.0.1"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in range(2):  # a keep-alive connection the server closed is reopened once
            try:
                self.connection.request(method, path, payload, headers)
                answer = self.connection.getresponse()
                return answer.status, answer.read()
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                if attempt:
                    raise
        raise AssertionError("unreachable")

    def _one(self) -> tuple[str, str, dict | None]:
        data, pick = self.data, self.random
        if pick.randrange(100) < WRITE_SHARE:
            ref = f"LOAD-{self.run_name}-{self.number}-{len(self.written) + len(self.errors)}"
            body = {
                "ref": ref,
                "subject": pick.choice(data["subjects"]),
                "type": "security_case",
                "occurred_on": f"{YEAR}-06-{pick.randrange(1, 29):02d}",
                "title": "负载测试",
            }
            return "POST", "/api/v1/events/", body
        kind = pick.choices([name for name, _ in READS], [weight for _, weight in READS])[0]
        if kind == "subjects":
            return "GET", f"/api/v1/subjects/?region={pick.choice(data['towns'])}&page_size=20", None
        if kind == "status":
            return "GET", f"/api/v1/subjects/{pick.choice(data['subjects'])}/status/?period={YEAR}", None
        if kind == "rates":
            return "GET", f"/api/v1/rates/?region={data['county']}&period={YEAR}&by=child", None
        return "GET", f"/api/v1/events/?region={pick.choice(data['towns'])}&page_size=20", None

    def run(self) -> None:
        while not self.stop.is_set():
            method, path, body = self._one()
            start = time.perf_counter()
            try:
                status, content = self._request(method, path, body)
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"{method} {path}: {error}")
                continue
            self.latencies.append(time.perf_counter() - start)
            kind = "write" if method == "POST" else path.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            self.by_kind.setdefault(kind, []).append(self.latencies[-1])
            if status >= 300:
                self.errors.append(f"{method} {path}: {status} {content[:120]!r}")
            elif method == "POST":
                self.written.append(body["ref"])
        self.connection.close()


def _phase(port: int, data: dict, clients: int, seconds: float, run: str) -> dict:
    stop = threading.Event()
    workers = [Client(port, data, stop, number, run) for number in range(clients)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    time.sleep(seconds)
    stop.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    latencies = [value for worker in workers for value in worker.latencies] or [float("nan")]
    return {
        "clients": clients,
        "requests": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "errors": [error for worker in workers for error in worker.errors],
        "written": [ref for worker in workers for ref in worker.written],
        "p95_by_kind": {
            kind: percentile([value for worker in workers for value in worker.by_kind.get(kind, [])], 0.95)
            * 1000
            for kind in sorted({kind for worker in workers for kind in worker.by_kind})
        },
    }


def _stored_refs(url: str, folder: Path, prefix: str) -> list[str]:
    script = (
        "from sanling.events.models import Event\n"
        f"print('\\n'.join(Event.objects.filter(ref__startswith={prefix!r}).values_list('ref', flat=True)))"
    )
    answer = subprocess.run(
        [str(ROOT / ".venv/bin/sanling"), "shell", "-c", script],
        env=_environment(url, folder),
        check=True,
        capture_output=True,
        text=True,
    )
    return [line for line in answer.stdout.splitlines() if line.startswith(prefix)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--servers", default="waitress,gunicorn")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--sqlite", action="store_true", help="the embedded database instead of PostgreSQL")
    arguments = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sanling-load-"))
    (folder / "static").mkdir()
    url = (
        f"sqlite:///{folder / 'load.sqlite3'}"
        if arguments.sqlite
        else os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG.replace("sanling_bench", "sanling_load"))
    )
    data = _prepare(url, folder)
    print(f"{machine()}; {url.split(':', 1)[0]}; demo county, {len(data['subjects'])} subjects in the mix")
    print(
        f"{'server':<10} {'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'errors':>6} {'lost':>5} {'req/s ×1':>8} {'p95 ×1':>7}"
    )
    failed = False
    for server in arguments.servers.split(","):
        port = _free_port()
        process = _start(server, port, _environment(url, folder))
        try:
            _phase(port, data, 4, 3, f"{server}-warm")  # imports, connections and caches warm up first
            alone = _phase(port, data, 1, arguments.seconds, f"{server}-1")
            crowd = _phase(port, data, arguments.clients, arguments.seconds, f"{server}-n")
        finally:
            process.terminate()
            process.wait(timeout=30)
        for phase, run in ((alone, f"{server}-1"), (crowd, f"{server}-n")):
            stored = _stored_refs(url, folder, f"LOAD-{run}-")
            lost = len(set(phase["written"]) - set(stored)) + (len(stored) - len(set(stored)))
            failed |= bool(lost or phase["errors"])
            print(
                f"{server:<10} {phase['clients']:>7} {phase['requests']:>8} {phase['per_second']:>7.1f} "
                f"{phase['p50']:>8.0f} {phase['p95']:>8.0f} {len(phase['errors']):>6} {lost:>5} "
                f"{phase['per_second'] / alone['per_second']:>8.2f} {phase['p95'] / alone['p95']:>7.2f}"
            )
            for error in phase["errors"][:5]:
                print("   ", error)
        print(
            f"{'':<10} p95 ms by request with {arguments.clients} clients: "
            + ", ".join(f"{kind} {value:.0f}" for kind, value in crowd["p95_by_kind"].items())
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
