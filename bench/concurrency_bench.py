"""Writers in different towns while a province events import runs (PostgreSQL).

For each N in 1, 4, 16, 64: N writer threads, each with its own database connection and its own town
(towns taken from the counties in turn), record events through ``event_create`` while one more thread
imports a province-wide events file (every county's chain is appended to and held until the import
commits). Each writer records events until the import has finished and at least ``--seconds`` have
passed. Prints, per N, the writers' throughput (events/s) and p99 latency, each as a ratio to N = 1 in the
same run, and how long the import took. Two kinds of import: the full ``bundle_import``, which rebuilds
the year's rollups in its transaction, and the same without that rebuild (writes and audit only), which
shows what the audit chains alone cost the writers. A write or import that deadlocks is counted, not
retried.

``--single-chain`` runs the same with every audit entry forced into one chain (as before the chains per
county) for comparison, in the same process.

The data is a smaller province than tier M (``--scale``; by default 12 counties, 3,000 villages, 20,000
units, 100,000 events already imported), so a run takes a few minutes on two cores:

    .venv/bin/python bench/concurrency_bench.py
    .venv/bin/python bench/concurrency_bench.py --single-chain
"""

import argparse
import csv
import datetime
import os
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import generate
from common import DEFAULT_PG, machine, percentile, setup_django

SCALES = {
    "small": {
        "cities": 4,
        "counties": 12,
        "towns_per_county": 6,
        "villages": 3_000,
        "units": 20_000,
        "events": 100_000,
    },
    "M": generate.TIERS["M"],
}
WRITERS = (1, 4, 16, 64)
IMPORT_EVENTS = 20_000  # per province import, spread over every county
DEADLOCKED = 3  # the exit status of an import rolled back by a deadlock


def province(scale: str) -> Path:
    """Generate (once) a province of ``scale`` with tier M's generator."""
    folder = generate.OUT / f"concurrency-{scale}"
    if (folder / "events.csv").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    saved = generate.TIERS["M"]
    generate.TIERS["M"] = SCALES[scale]
    try:
        generate.tier_m(folder, random.Random(20251))
    finally:
        generate.TIERS["M"] = saved
    return folder


def import_file(folder: Path, run: str, subject_codes: list[str]) -> Path:
    """A province events file of new events (refs prefixed by ``run``), for one import."""
    target = folder.parent / f"{folder.name}-import-{run}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir()
    rows = generate.events(random.Random(run), subject_codes, IMPORT_EVENTS)
    with (target / "events.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(generate.EVENT_HEADER)
        writer.writerows([f"{run}{row[0]}", *row[1:]] for row in rows)
    return target


def child_import(bundle: str, rebuild: bool, single_chain: bool) -> int:
    """The import of one run, in its own process, on the database the parent set up."""
    import django
    from django.db import OperationalError, transaction

    django.setup()
    if single_chain:
        from sanling.audit import services as audit_services

        audit_services.chain_of = lambda region_path: "global"
    from sanling.audit.context import acting, command_actor
    from sanling.core.bulk import collector_paused
    from sanling.exchange.importer import BundleImporter, bundle_import
    from sanling.exchange.reader import read_bundle

    try:
        with acting(command_actor()):
            if rebuild:
                bundle_import(bundle)
            else:  # as bundle_import does it, less rebuilding the rollups of the year
                with collector_paused(), transaction.atomic():
                    importer = BundleImporter(read_bundle(bundle), note="import")
                    importer.validate()
                    importer.plan()
                    importer.write()
                    importer.audit()
    except OperationalError as error:  # rolled back whole; reported, not retried
        if "deadlock" not in str(error):
            raise
        return DEADLOCKED
    return 0


WAITS = ("audit_audithead", "rollup", "subjects_subject", "events_event", "audit_auditentry")


def sample_waits(stop: threading.Event, counts: dict) -> None:
    """Every 20 ms, what each busy session of the benchmark is doing: waiting for a lock on a row of
    which table (named by its statement), or anything else ("running")."""
    import psycopg

    with psycopg.connect(_url(), autocommit=True) as watcher:
        while not stop.wait(0.02):
            for wait_type, query in watcher.execute(
                "SELECT wait_event_type, query FROM pg_stat_activity"
                " WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()"
            ):
                if wait_type != "Lock":
                    key = "running"
                else:
                    key = next((f"lock: {table}" for table in WAITS if table in query), "lock: other")
                counts[key] = counts.get(key, 0) + 1


def _url() -> str:
    return os.environ["DATABASE_URL"]


def run_once(
    writers: int, towns: list[list[int]], bundle: Path, seconds: float, refresh: bool, single_chain: bool
) -> dict:
    from django.db import IntegrityError, OperationalError, connection

    from sanling.events.services import event_create
    from sanling.subjects.models import Subject

    latencies: list[list[float]] = [[] for _ in range(writers)]
    deadlocks = [0] * writers
    refused = [0] * writers
    errors: list[BaseException] = []
    started = threading.Barrier(writers + 2)
    imported = threading.Event()
    import_time = {}

    def importer():
        # In a process of its own, as `sanling import` runs beside the web server: its Python work (and
        # its garbage collector) must not stall the writers' threads.
        try:
            started.wait()
            start = time.perf_counter()
            command = [sys.executable, __file__, "--child-import", str(bundle)]
            command += ["--rebuild"] if refresh else []
            command += ["--single-chain"] if single_chain else []
            finished = subprocess.run(command, capture_output=True, text=True, check=False)
            import_time["seconds"] = time.perf_counter() - start
            if finished.returncode == DEADLOCKED:
                import_time["deadlocked"] = True
            elif finished.returncode:
                raise RuntimeError(finished.stderr[-2000:])
        except BaseException as error:
            errors.append(error)
        finally:
            imported.set()

    def writer(number: int):
        rng = random.Random(number)
        subject_ids = towns[number % len(towns)]
        try:
            started.wait()
            deadline = time.perf_counter() + seconds
            while not imported.is_set() or time.perf_counter() < deadline:
                day = datetime.date(generate.YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365))
                start = time.perf_counter()
                try:
                    event_create(
                        subject=Subject(pk=rng.choice(subject_ids)),
                        type="security_case",
                        occurred_on=day,
                        title="并发基准",
                    )
                except OperationalError as error:  # a deadlock: the write is rolled back, the user retries
                    if "deadlock" not in str(error):
                        raise
                    deadlocks[number] += 1
                    continue
                except IntegrityError:  # a rollup count would go below 0: refused, rolled back
                    refused[number] += 1
                    continue
                latencies[number].append(time.perf_counter() - start)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    waits: dict[str, int] = {}
    stop_sampling = threading.Event()
    sampler = threading.Thread(target=sample_waits, args=(stop_sampling, waits))
    sampler.start()
    threads = [threading.Thread(target=importer)] + [
        threading.Thread(target=writer, args=(number,)) for number in range(writers)
    ]
    for thread in threads:
        thread.start()
    started.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    stop_sampling.set()
    sampler.join()
    if errors:
        raise errors[0]
    samples = [latency for per_writer in latencies for latency in per_writer]
    return {
        "writes": len(samples),
        "throughput": len(samples) / elapsed,
        "p50": percentile(samples, 0.5),
        "p99": percentile(samples, 0.99),
        "import": import_time["seconds"],
        "deadlocks": sum(deadlocks),
        "refused": sum(refused),
        "waits": waits,
        "import_deadlocked": import_time.get("deadlocked", False),
        "elapsed": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=list(SCALES), default="small")
    parser.add_argument("--seconds", type=float, default=5.0, help="least time each writer writes")
    parser.add_argument("--single-chain", action="store_true", help="also run with one audit chain")
    parser.add_argument("--child-import", help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        sys.exit(child_import(args.child_import, args.rebuild, args.single_chain))
    folder = province(args.scale)
    os.environ.setdefault(
        "BENCH_DATABASE_URL", DEFAULT_PG.replace("sanling_bench", "sanling_concurrency_bench")
    )
    setup_django("postgres")

    from django.db import connection

    from sanling.assessment.services import assessment_recompute
    from sanling.audit import services as audit_services
    from sanling.audit.selectors import audit_verify_chains
    from sanling.exchange.importer import bundle_import
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject

    start = time.perf_counter()
    bundle_import(folder)  # the province as it stands: regions, subjects and a year of events (rollups built)
    setup_seconds = time.perf_counter() - start
    counties = list(Region.objects.filter(level="county").order_by("code"))
    by_county = [
        list(
            Region.objects.filter(level="town", parent=county).order_by("code").values_list("path", flat=True)
        )
        for county in counties
    ]
    # Writers' towns: the first town of each county, then the second of each, and so on.
    town_paths = [
        paths[index] for index in range(max(map(len, by_county))) for paths in by_county if index < len(paths)
    ]
    towns = [
        list(Subject.objects.filter(region__path__startswith=path).values_list("id", flat=True))
        for path in town_paths[: max(WRITERS)]
    ]
    subject_codes = list(Subject.objects.values_list("code", flat=True))
    connection.close()

    chains = [("chain per county", None)]
    if args.single_chain:
        chains.append(("one chain (as before)", lambda region_path: "global"))
    imports = [("import without its rollup rebuild", False), ("full import (bundle_import)", True)]
    modes = [(f"{chain}, {kind}", forced, refresh) for chain, forced in chains for kind, refresh in imports]
    results = {}
    for mode, forced, refresh in modes:
        original = audit_services.chain_of
        if forced:
            audit_services.chain_of = forced
        try:
            for writers in WRITERS:
                bundle = import_file(folder, f"R{len(results)}", subject_codes)
                results[(mode, writers)] = run_once(
                    writers, towns, bundle, args.seconds, refresh, single_chain=forced is not None
                )
                if not refresh:  # that import left the year's rollups without its events: rebuild
                    assessment_recompute(years=[generate.YEAR])
                    connection.close()
                figures = results[(mode, writers)]
                print(
                    f"{mode} N={writers}: {figures['throughput']:.1f}/s p99 {figures['p99'] * 1000:.0f} ms",
                    file=sys.stderr,
                    flush=True,
                )
        finally:
            audit_services.chain_of = original
    reports = audit_verify_chains()

    scale = SCALES[args.scale]
    print(f"# concurrency benchmark, PostgreSQL, {machine()}")
    print(
        f"scale: {len(counties)} counties, {scale['villages']:,} villages, {scale['units']:,} units, "
        f"{scale['events']:,} events imported first ({setup_seconds:.0f} s); each run imports "
        f"{IMPORT_EVENTS:,} more events across every county while N writers record events in N towns"
    )
    for mode, _forced, _refresh in modes:
        base = results[(mode, 1)]
        print(f"{mode}:")
        for writers in WRITERS:
            figures = results[(mode, writers)]
            print(
                f"  N={writers:>2}: {figures['writes']:>6,} writes, {figures['throughput']:7.1f} writes/s "
                f"({figures['throughput'] / base['throughput']:4.2f}x N=1), p50 {figures['p50'] * 1000:6.1f} ms, "
                f"p99 {figures['p99'] * 1000:7.1f} ms ({figures['p99'] / base['p99']:5.2f}x N=1); "
                f"import {figures['import']:.1f} s{' (DEADLOCKED, rolled back)' if figures['import_deadlocked'] else ''}; "
                f"{figures['deadlocks']} writes deadlocked, {figures['refused']} refused"
            )
            total = sum(figures["waits"].values()) or 1
            shares = sorted(figures["waits"].items(), key=lambda item: -item[1])
            print(
                "        sessions' time: " + ", ".join(f"{key} {count / total:.0%}" for key, count in shares)
            )
    problems = sum(len(report.problems) for report in reports)
    print(f"audit verify: {len(reports)} chains, {'all verify' if not problems else f'{problems} PROBLEMS'}")


if __name__ == "__main__":
    main()
