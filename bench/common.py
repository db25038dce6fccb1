"""Helpers shared by the benchmarks: a scratch database per run, timing, and the machine description."""

import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/sanling_bench"


def setup_django(backend: str) -> str:
    """Point Django at a fresh scratch database of ``backend`` ('sqlite' or 'postgres') and migrate it."""
    if backend == "sqlite":
        url = f"sqlite:///{tempfile.mkdtemp(prefix='sanling-bench-')}/bench.sqlite3"
    else:
        url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        import psycopg

        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanling.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    return url


def machine() -> str:
    cpus = os.cpu_count()
    memory = ""
    try:
        kib = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{platform.machine()}, {cpus} cores{memory}, Python {platform.python_version()}"


@contextmanager
def timer(results: dict, name: str):
    start = time.perf_counter()
    yield
    results[name] = time.perf_counter() - start


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def median(samples: list[float]) -> float:
    return statistics.median(samples)
