"""四色预警 evaluation for a province: every subject's colour on a day, as a ratio to a reference read over the
same subjects in the same run.

Builds a synthetic province straight through ``bulk_create`` (the importer's validation is not what is
measured here): 150 counties, 14 towns each, villages and units in the ratio of tier M (52,000 : 500,000,
units standing at village nodes), ``--subjects`` in all (552,000 by default, a province). Then it writes what
the default rules read: events breaking a zero in the month for 1% of the subjects (red), 重大 hazards whose
deadline has passed for 0.2% (orange), county-level disputes still open for 0.5% (yellow) and a watch-list
entry for 0.3% (blue). 积案 and key persons are left out (their conditions still run their queries, over no
rows).

Measured, at the province, several times each:
- ``alerts.selectors.subject_warnings(region=province, on=day)``: the rules in force, every condition, the
  colours and reasons of every coloured subject;
- the reference: the same subjects read plainly — the active subjects of the subtree, counted (one query
  over the same index the evaluation's subquery uses), and the month's events of those subjects counted.

    .venv/bin/python bench/warnings_bench.py --db sqlite --subjects 55200      # a tenth of a province
    .venv/bin/python bench/warnings_bench.py --db postgres                      # a province (552,000)
    .venv/bin/python bench/warnings_bench.py --db postgres --reuse              # measure again on that data

A run after the load warms the tables once (VACUUM ANALYZE, then each measurement is repeated); run it on a
quiet machine: the figures of a shared one move with its load.
"""

import argparse
import datetime
import random
import time

from common import DEFAULT_PG, machine, median, setup_django, timer

DAY = datetime.date(2025, 6, 20)
VILLAGE_SHARE = 52_000 / 552_000


def build(subjects: int, results: dict) -> dict:
    from django.db import transaction

    from sanling.disputes.models import Dispute
    from sanling.events.models import Event
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject

    rng = random.Random(16)
    villages_wanted = max(1, round(subjects * VILLAGE_SHARE))
    counties, towns_per_county = 150, 14
    with timer(results, "build"), transaction.atomic():
        province = Region.objects.create(
            code="410000000000", name="省", level="province", path="/410000000000/", depth=0
        )
        county_rows = [
            Region(
                code=f"41{index:04d}000000",
                name=f"县{index}",
                level="county",
                parent=province,
                path=f"{province.path}41{index:04d}000000/",
                depth=1,
            )
            for index in range(1, counties + 1)
        ]
        Region.objects.bulk_create(county_rows, batch_size=2000)
        county_rows = list(Region.objects.filter(level="county").order_by("code"))
        town_rows = [
            Region(
                code=f"{county.code[:6]}{town:03d}000",
                name=f"{county.name}镇{town}",
                level="town",
                parent=county,
                path=f"{county.path}{county.code[:6]}{town:03d}000/",
                depth=2,
            )
            for county in county_rows
            for town in range(1, towns_per_county + 1)
        ]
        Region.objects.bulk_create(town_rows, batch_size=2000)
        town_rows = list(Region.objects.filter(level="town").order_by("code"))
        village_rows = []
        for number in range(villages_wanted):
            town = town_rows[number % len(town_rows)]
            code = f"{town.code[:9]}{number // len(town_rows) + 1:03d}"
            village_rows.append(
                Region(
                    code=code,
                    name=f"村{code}",
                    level="village",
                    parent=town,
                    path=f"{town.path}{code}/",
                    depth=3,
                )
            )
        Region.objects.bulk_create(village_rows, batch_size=5000)
        village_rows = list(Region.objects.filter(level="village").order_by("code"))
        joined = datetime.date(2024, 1, 1)
        rows = [
            Subject(
                code=f"V{region.code}",
                name=f"村{region.code}",
                kind="village",
                region=region,
                joined_on=joined,
            )
            for region in village_rows
        ]
        for number in range(subjects - len(rows)):
            region = village_rows[number % len(village_rows)]
            rows.append(
                Subject(
                    code=f"U{number:07d}",
                    name=f"单位{number}",
                    kind="enterprise",
                    category="factory_mine",
                    region=region,
                    joined_on=joined,
                )
            )
        Subject.objects.bulk_create(rows, batch_size=5000)
        ids = list(Subject.objects.values_list("pk", flat=True))
        sample = rng.sample(ids, k=len(ids) // 50)
        red, rest = sample[: len(ids) // 100], sample[len(ids) // 100 :]
        orange, rest = rest[: len(ids) // 500], rest[len(ids) // 500 :]
        yellow, blue = rest[: len(ids) // 200], rest[len(ids) // 200 : len(ids) // 200 + len(ids) * 3 // 1000]
        Event.objects.bulk_create(
            [
                Event(
                    ref=f"E{index:08d}",
                    subject_id=subject_id,
                    type="criminal_case",
                    occurred_on=DAY - datetime.timedelta(days=rng.randint(0, 18)),
                    title="盗窃",
                )
                for index, subject_id in enumerate(red)
            ],
            batch_size=5000,
        )
        _hazards(orange)
        Dispute.objects.bulk_create(
            [
                Dispute(
                    ref=f"D{index:08d}",
                    subject_id=subject_id,
                    reported_on=DAY - datetime.timedelta(days=30),
                    summary="纠纷",
                    level="county",
                )
                for index, subject_id in enumerate(yellow)
            ],
            batch_size=5000,
        )
        from sanling.alerts.models import WatchEntry

        WatchEntry.objects.bulk_create(
            [
                WatchEntry(subject_id=subject_id, reason="关注", since=DAY - datetime.timedelta(days=40))
                for subject_id in blue
            ],
            batch_size=5000,
        )
    return {
        "province": province,
        "counts": {"red": len(red), "orange": len(orange), "yellow": len(yellow), "blue": len(blue)},
    }


def _hazards(subject_ids: list[int]) -> None:
    from sanling.hazards.models import Hazard
    from sanling.work.models import WorkItem

    items = WorkItem.objects.bulk_create(
        [
            WorkItem(
                ref=f"H{index:08d}",
                kind="hazard",
                subject_id=subject_id,
                title="重大隐患",
                step="rectifying",
                opened_on=DAY - datetime.timedelta(days=100),
                due_on=DAY - datetime.timedelta(days=10),
            )
            for index, subject_id in enumerate(subject_ids)
        ],
        batch_size=5000,
    )
    if items and items[0].pk is None:  # SQLite before 3.35 returns no ids
        items = list(WorkItem.objects.filter(kind="hazard").order_by("pk"))
    Hazard.objects.bulk_create(
        [
            Hazard(
                ref=item.ref,
                subject_id=item.subject_id,
                case=item,
                category="消防安全",
                level="major",
                description="重大隐患",
                found_on=DAY - datetime.timedelta(days=100),
            )
            for item in items
        ],
        batch_size=5000,
    )


def reference(province) -> tuple[int, int]:
    from django.db.models import Q

    from sanling.events.models import Event
    from sanling.regions.models import subtree_q
    from sanling.subjects.models import Subject

    active = Subject.objects.filter(subtree_q(province.path, via="region__"), joined_on__lte=DAY).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=DAY)
    )
    month = Event.objects.filter(
        subject__in=active.order_by().values("pk"), occurred_on__range=(DAY.replace(day=1), DAY)
    )
    return active.count(), month.count()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--subjects", type=int, default=552_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--reuse", action="store_true", help="measure again on the last run's PostgreSQL data"
    )
    options = parser.parse_args()
    if options.reuse:
        import os

        import django

        os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanling.settings")
        django.setup()
    else:
        setup_django(options.db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanling.alerts.selectors import colour_counts, subject_warnings

    results: dict = {"build": 0.0}
    if options.reuse:
        from sanling.regions.models import Region
        from sanling.subjects.models import Subject

        province = Region.objects.get(level="province")
        options.subjects = Subject.objects.count()
        world = {"province": province, "counts": "(reused)"}
    else:
        world = build(options.subjects, results)
        province = world["province"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    evaluation, plain = [], []
    for _ in range(options.repeat):
        start = time.perf_counter()
        active, events = reference(province)
        plain.append(time.perf_counter() - start)
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            warnings = subject_warnings(region=province, on=DAY)
        evaluation.append(time.perf_counter() - start)
    counts = colour_counts(warnings)
    print(f"machine: {machine()}; database: {connection.vendor}")
    print(
        f"scale: {options.subjects:,} subjects ({active:,} active on {DAY}), {events:,} events breaking a zero this month"
    )
    if not options.reuse:
        print(f"built in {results['build']:.1f} s; expected colours {world['counts']}")
    print(f"colours: {counts} ({len(warnings):,} coloured), {len(queries)} queries per evaluation")
    print(f"evaluation, median of {options.repeat}: {median(evaluation):.3f} s")
    print(
        f"reference (count of the active subjects + the month's events over them), median: {median(plain):.3f} s"
    )
    print(f"ratio: {median(evaluation) / median(plain):.1f}× the reference")


if __name__ == "__main__":
    main()
