"""The dashboard of each role at tier S (a county) or M (a province), on SQLite or PostgreSQL.

Imports a generated bundle, rebuilds its year, then for each role (county administrator, town operator,
department user, grid worker, leader) opens the user's dashboard page and its map many times for random
periods of the year, through Django's test client (scope, selectors, template and all). The reference is
the ``rates`` query of the same scope in the same run (``rates_for`` by child, as ``/api/v1/rates/``):
the page is printed as p95 and as a multiple of that query's p95, with the queries one page runs. First,
the county's page of the current year (nothing recorded in it) is loaded three times: the first load
opens the year, the others read it.

    .venv/bin/python bench/dashboard_bench.py --tier S --db postgres
    .venv/bin/python bench/dashboard_bench.py --tier M --db postgres --samples 100
"""

import argparse
import random
import time

from common import machine, percentile, setup_django, timer
from generate import YEAR, generate


def load(folder, results: dict) -> dict:
    """The bundle as ``bundle_import`` writes it, and the year rebuilt (as engine_bench does)."""
    from django.db import transaction

    from sanling.assessment.services import assessment_recompute
    from sanling.core.bulk import collector_paused
    from sanling.exchange.importer import BundleImporter
    from sanling.exchange.reader import read_bundle

    tables = read_bundle(folder)
    counts = {name: len(table.rows) for name, table in tables.items()}
    with timer(results, "import"), collector_paused(), transaction.atomic():
        importer = BundleImporter(tables)
        importer.validate()
        assert not importer.errors, importer.errors[:5]
        importer.plan()
        importer.write()
    with timer(results, "recompute"):
        assessment_recompute(years=[YEAR])
    return counts


def personas() -> list[tuple[str, object, object]]:
    """(role, user, region whose dashboard the user opens) for each role, on the first county."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from sanling.accounts.models import Profile
    from sanling.departments.models import Department
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject

    county = Region.objects.filter(level="county").order_by("code").first()
    town = Region.objects.filter(parent=county).order_by("code").first()
    village = (
        Region.objects.filter(parent__parent=county, level="village")
        .annotate(n=Count("subjects"))
        .order_by("-n", "code")
        .first()
    )
    department = (
        Department.objects.filter(subjects__region__path__startswith=county.path)
        .annotate(n=Count("subjects"))
        .order_by("-n", "code")
        .first()
    )
    assert Subject.objects.filter(region__path__startswith=village.path).exists()
    User = get_user_model()
    chosen = []
    for role, label, region, home, dept in (
        ("county_admin", "county", county, county, None),
        ("town_operator", "town", town, town, None),
        ("department_user", "department", None, county, department),
        ("grid_worker", "grid worker", village, village, None),
        ("viewer", "leader", county, county, None),
    ):
        user = User.objects.create_user(username=f"bench_{role}", password="bench-password-1")
        Profile.objects.create(user=user, role=role, region=region, department=dept)
        chosen.append((label, user, home))
    return chosen


def counting(into: list[str]):
    """A database execute wrapper that notes each statement (DEBUG is off, so Django keeps no log)."""

    def wrapper(execute, sql, params, many, context):
        into.append(sql)
        return execute(sql, params, many, context)

    return wrapper


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tier", choices=["S", "M"], default="S")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    folder = generate(args.tier)
    setup_django(args.db)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from sanling.accounts.scope import scope_for
    from sanling.assessment.periods import periods_of_year
    from sanling.assessment.selectors import rates_for

    settings.ALLOWED_HOSTS = ["*"]
    results: dict[str, float] = {}
    counts = load(folder, results)
    periods = periods_of_year(YEAR)
    rng = random.Random(13)
    lines = []
    chosen = personas()
    # The current year before anything is recorded in it: the first load opens it, later ones read it.
    this_year = timezone.localdate().year
    client = Client()
    client.force_login(chosen[0][1])
    county_page = reverse("dashboard:region", kwargs={"code": chosen[0][2].code})
    client.get(f"{county_page}?period={YEAR}")
    opening = []
    for _ in range(3):
        start = time.perf_counter()
        assert client.get(f"{county_page}?period={this_year}").status_code == 200
        opening.append(time.perf_counter() - start)
    for label, user, home in chosen:
        client = Client()
        client.force_login(user)
        scope = scope_for(user)
        page = reverse("dashboard:region", kwargs={"code": home.code})
        map_url = reverse("dashboard:map", kwargs={"code": home.code})
        client.get(f"{page}?period={YEAR}")  # the session's first request reads more
        queries: list[str] = []
        with connection.execute_wrapper(counting(queries)):
            assert client.get(f"{page}?period={YEAR}").status_code == 200
        times = {"page": [], "map": [], "rates": []}
        for _ in range(args.samples):
            key = rng.choice(periods).key
            for name, url in (("page", page), ("map", map_url)):
                start = time.perf_counter()
                response = client.get(f"{url}?period={key}")
                times[name].append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
            period = rng.choice(periods)
            start = time.perf_counter()
            rates_for(scope=scope, region=home, period=period, by="child")
            times["rates"].append(time.perf_counter() - start)
        p95 = {name: percentile(samples, 0.95) * 1000 for name, samples in times.items()}
        lines.append(
            f"{label:<12} {home.name:<10} {len(queries):>4} queries   page p95 {p95['page']:7.1f} ms"
            f"   map p95 {p95['map']:6.1f} ms   rates p95 {p95['rates']:6.1f} ms"
            f"   page/rates {p95['page'] / p95['rates']:5.1f}x"
        )
    print(f"# dashboard benchmark, tier {args.tier}, {args.db}, {machine()}")
    print(
        f"scale: {counts.get('regions', 0):,} regions, {counts.get('subjects', 0):,} subjects, "
        f"{counts.get('events', 0):,} events in {YEAR}; import {results['import']:.1f} s, "
        f"recompute {results['recompute']:.1f} s; {args.samples} samples per role, random periods of {YEAR}"
    )
    print(
        f"county page of {this_year} (nothing recorded in it yet): first load {opening[0] * 1000:.0f} ms"
        f" (opens the year), then {opening[1] * 1000:.0f} ms and {opening[2] * 1000:.0f} ms"
    )
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
