"""基层工作 figures at a province's scale: 10 million household visits and 1 million hazards.

Imports tier M's regions, departments and subjects (a province: 54,266 regions, 52,000 villages, 500,000
units; its events are left out, fieldwork never reads them), then writes, with PostgreSQL's COPY as a
province's ledgers would be loaded:
- a household count for every village (300–700 households each, as of the year's first day);
- **10,000,000 household visits** (走访) in 2025, spread over the villages, each to one of its households
  (so a household is visited several times a year), 1–4 persons met;
- **1,000,000 hazards** (隐患) found in 2025 at the subjects, each with its case (a work item of kind
  "hazard"): 一般 90%, 重大 10%; 75% rectified (closed), the open ones due from 60 days before to 60 days
  after "today" (2025-12-15).

Then, many times each, the stats query (``fieldwork.figures.fieldwork_figures``, as the dashboard's panel and
``sanling fieldwork stats`` call it, and each domain's figures within it) for a month and for the year, at
a county and at the province, against a bare indexed query over the same rows in the same process
(the rows picked by an explicit list of region or subject ids through an index, aggregated the same way,
no join to the region tree). The ratio is the figure to watch; the times depend on the machine.

    .venv/bin/python bench/fieldwork_bench.py --db postgres            # load ~15 min on 2 cores, then measures
    .venv/bin/python bench/fieldwork_bench.py --db postgres --reuse    # measure again on that data (migrates)
    .venv/bin/python bench/fieldwork_bench.py --db postgres --visits 1000000 --hazards 100000   # smaller
"""

import argparse
import datetime
import io
import random
import time

from common import machine, median, percentile, setup_django, timer
from generate import generate

TODAY = datetime.date(2025, 12, 15)
YEAR = 2025
THEMES = ["six_promote_six_prevent", "safety", "dispute", "policy", "other"]
HAZARD_CATEGORIES = ["fire", "gas", "electricity", "water", "building", "traffic", "other"]


def load_places(folder, results: dict) -> None:
    """Regions, departments and subjects of tier M through the importer (no events)."""
    from django.db import transaction

    from sanling.core.bulk import collector_paused
    from sanling.exchange.importer import BundleImporter
    from sanling.exchange.reader import read_bundle

    tables = {name: table for name, table in read_bundle(folder).items() if name != "events"}
    with timer(results, "import"), collector_paused(), transaction.atomic():
        importer = BundleImporter(tables)
        importer.validate()
        assert not importer.errors, importer.errors[:5]
        importer.plan()
        importer.write()


def _copy(table: str, columns: list[str], rows, chunk: int = 200_000) -> int:
    """COPY ``rows`` (tuples of text-ready values, None for NULL) into ``table``, in chunks."""
    from django.db import connection

    def text(value) -> str:
        if value is None:
            return r"\N"
        return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")

    written = 0
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        raw = cursor.cursor  # psycopg's own cursor

        def flush():
            with raw.copy(copy_sql) as copy:
                copy.write(buffer.getvalue())
            buffer.seek(0)
            buffer.truncate()

        for count, row in enumerate(rows, 1):
            buffer.write("\t".join(text(value) for value in row))
            buffer.write("\n")
            if count % chunk == 0:
                flush()
            written = count
        flush()
    return written


def _plain_indexes(table: str) -> list[tuple[str, str]]:
    """(name, definition) of ``table``'s indexes that back no constraint: dropped for the load, rebuilt after."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
               WHERE i.tablename = %s AND NOT EXISTS (
                 SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""",
            [table],
        )
        return list(cursor.fetchall())


def _loaded(table: str, columns: list[str], rows) -> int:
    """COPY into ``table`` with its plain indexes dropped, then rebuilt (faster than updating them per row)."""
    from django.db import connection

    indexes = _plain_indexes(table)
    with connection.cursor() as cursor:
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    written = _copy(table, columns, rows)
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
    return written


def household_counts(villages: list[tuple[int, str]], rng: random.Random) -> dict[int, int]:
    """A count of households for every village: 300–700 each."""
    from sanling.visits.models import HouseholdCount

    sizes = {pk: rng.randrange(300, 700) for pk, _code in villages}
    HouseholdCount.objects.bulk_create(
        [
            HouseholdCount(region_id=pk, households=size, as_of=datetime.date(YEAR, 1, 1))
            for pk, size in sizes.items()
        ],
        batch_size=10_000,
    )
    return sizes


def visits(count: int, villages: list[tuple[int, str]], sizes: dict[int, int], rng: random.Random) -> int:
    """``count`` household visits in the year, spread over the villages."""
    from django.utils import timezone

    now = timezone.now().isoformat()
    start = datetime.date(YEAR, 1, 1).toordinal()
    days = (min(TODAY, datetime.date(YEAR, 12, 31)).toordinal() - start) + 1

    def rows():
        for number in range(count):
            pk, code = villages[rng.randrange(len(villages))]
            group = rng.randrange(1, 9)
            house = rng.randrange(1, max(2, sizes[pk] // 8))
            household = f"{group}组{house}号"
            yield (
                f"ZF{number:09d}",
                pk,
                household,
                f"{code}:{household}",
                datetime.date.fromordinal(start + rng.randrange(days)).isoformat(),
                THEMES[rng.randrange(len(THEMES))],
                rng.choice((1, 1, 2, 2, 3, 4)),
                "",
                "",
                1,
                now,
                now,
            )

    columns = [
        "ref",
        "region_id",
        "household",
        "household_key",
        "visited_on",
        "theme",
        "persons_met",
        "visitor_name",
        "findings",
        "version",
        "created_at",
        "updated_at",
    ]
    return _loaded("visits_householdvisit", columns, rows())


def hazards(count: int, rng: random.Random) -> int:
    """``count`` hazards with their cases (work items of kind "hazard"), at random subjects."""
    from django.db import connection
    from django.utils import timezone

    from sanling.subjects.models import Subject
    from sanling.work.models import WorkItem

    now = timezone.now().isoformat()
    subjects = list(Subject.objects.values_list("pk", flat=True))
    first_id = (WorkItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    start = datetime.date(YEAR, 1, 1).toordinal()
    days = TODAY.toordinal() - start + 1
    plan = []
    for number in range(count):
        found = datetime.date.fromordinal(start + rng.randrange(days))
        major = rng.random() < 0.1
        closed = rng.random() < 0.75
        due = found + datetime.timedelta(days=90 if major else 30)
        if not closed and due >= TODAY + datetime.timedelta(days=60):
            due = TODAY + datetime.timedelta(days=rng.randrange(-60, 60))
        closed_on = min(TODAY, found + datetime.timedelta(days=rng.randrange(1, 60))) if closed else None
        plan.append(
            (
                first_id + number,
                f"YH{number:08d}",
                subjects[rng.randrange(len(subjects))],
                found,
                major,
                due,
                closed_on,
            )
        )

    items = (
        (
            pk,
            ref,
            "hazard",
            subject,
            "隐患",
            "closed" if closed_on else "rectifying",
            found.isoformat(),
            due.isoformat(),
            closed_on.isoformat() if closed_on else None,
            False,
            1,
            now,
            now,
        )
        for pk, ref, subject, found, _major, due, closed_on in plan
    )
    _loaded(
        "work_workitem",
        [
            "id",
            "ref",
            "kind",
            "subject_id",
            "title",
            "step",
            "opened_on",
            "due_on",
            "closed_on",
            "backlog",
            "version",
            "created_at",
            "updated_at",
        ],
        items,
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval(pg_get_serial_sequence('work_workitem', 'id'), %s)", [first_id + count])
    rows = (
        (
            ref,
            subject,
            pk,
            HAZARD_CATEGORIES[pk % len(HAZARD_CATEGORIES)],
            "major" if major else "general",
            "隐患",
            found.isoformat(),
            "",
            "closed" if closed_on else "rectifying",
            "inspection",
            closed_on.isoformat() if closed_on else None,
            1,
            now,
            now,
        )
        for pk, ref, subject, found, major, _due, closed_on in plan
    )
    return _loaded(
        "hazards_hazard",
        [
            "ref",
            "subject_id",
            "case_id",
            "category",
            "level",
            "description",
            "found_on",
            "owner_person",
            "status",
            "source",
            "rectified_on",
            "version",
            "created_at",
            "updated_at",
        ],
        rows,
    )


def sample(function, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def reuse_django() -> None:
    """Point Django at the database a previous run left (``--reuse``) and migrate it (a new index is then
    built on the data already there)."""
    import os

    from common import DEFAULT_PG

    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_PG)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanling.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def measure(name: str, function, bare, samples: int, timings: dict) -> None:
    function()  # warm
    bare()
    taken = sample(function, samples)
    reference = sample(bare, samples)
    timings[name] = {
        "p99": percentile(taken, 0.99) * 1000,
        "median": median(taken) * 1000,
        "bare_p99": percentile(reference, 0.99) * 1000,
        "bare_median": median(reference) * 1000,
        "samples": samples,
    }
    row = timings[name]
    print(
        f"{name}: p99 {row['p99']:.1f} ms, bare indexed query p99 {row['bare_p99']:.1f} ms, "
        f"ratio {row['p99'] / row['bare_p99']:.1f}x; median {row['median']:.1f} ms vs "
        f"{row['bare_median']:.1f} ms, ratio {row['median'] / row['bare_median']:.1f}x ({samples} samples)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["postgres"], default="postgres")
    parser.add_argument("--visits", type=int, default=10_000_000)
    parser.add_argument("--hazards", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200, help="samples at a county")
    parser.add_argument("--province-samples", type=int, default=20, help="samples at the province")
    parser.add_argument("--reuse", action="store_true", help="measure again on the data a previous run left")
    parser.add_argument("--tier", choices=["S", "M"], default="M", help="S: one county, for a quick try")
    args = parser.parse_args()
    folder = generate(args.tier)
    if args.reuse:
        reuse_django()
    else:
        setup_django(args.db)

    from django.db import connection
    from django.db.models import Count, Sum

    from sanling.assessment.periods import Period
    from sanling.fieldwork.figures import fieldwork_figures
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject
    from sanling.visits.figures import household_visit_figures
    from sanling.visits.models import HouseholdCount, HouseholdVisit

    results: dict[str, float] = {}
    rng = random.Random(15)
    if not args.reuse:
        load_places(folder, results)
        villages = list(Region.objects.filter(level="village").order_by("code").values_list("pk", "code"))
        sizes = household_counts(villages, rng)
        with timer(results, "visits"):
            visits(args.visits, villages, sizes, rng)
        print(f"visits loaded in {results['visits']:.0f} s", flush=True)
        with timer(results, "hazards"):
            hazards(args.hazards, rng)
        print(f"hazards loaded in {results['hazards']:.0f} s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    # The county with the most villages, and the province.
    county = (
        Region.objects.filter(level="county")
        .annotate(n=Count("children__children"))
        .order_by("-n", "code")
        .first()
    )
    province = Region.objects.filter(level="province").order_by("code").first()
    month = Period.month(YEAR, 6)
    year = Period.of_year(YEAR)

    def check_visits(region, period):
        """The same figures by explicit region ids (no join to the tree), to check the selector's rows."""
        ids = list(Region.objects.filter(path__startswith=region.path).values_list("pk", flat=True))
        totals = HouseholdVisit.objects.filter(
            region_id__in=ids, visited_on__range=(period.start, period.end)
        ).aggregate(
            visits=Count("pk"), households=Count("household_key", distinct=True), persons=Sum("persons_met")
        )
        return totals, sum(
            HouseholdCount.objects.filter(region_id__in=ids).values_list("households", flat=True)
        )

    # The bare indexed queries: COUNT(*) of the same rows (the visits, or the hazards found, in the region's
    # subtree and the period), one SQL statement through the same indexes — what any implementation pays to
    # read those rows, without the figures' distinct households, sums, rates and scope.
    def bare_visits(region, period):
        def query():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM visits_householdvisit v JOIN regions_region r ON r.id = v.region_id "
                    "WHERE r.path LIKE %s AND v.visited_on BETWEEN %s AND %s",
                    [region.path + "%", period.start, period.end],
                )
                return cursor.fetchone()[0]

        return query

    def bare_hazards(region, period):
        def query():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM hazards_hazard h JOIN subjects_subject s ON s.id = h.subject_id "
                    "JOIN regions_region r ON r.id = s.region_id "
                    "WHERE r.path LIKE %s AND h.found_on BETWEEN %s AND %s",
                    [region.path + "%", period.start, period.end],
                )
                return cursor.fetchone()[0]

        return query

    def hazard_function():
        try:
            from sanling.hazards.figures import hazard_figures
        except ImportError:
            return None
        return hazard_figures

    # The selectors and their references count the same rows.
    for region in (county, province):
        figures = household_visit_figures(region=region, period=month, today=TODAY)
        bare, households = check_visits(region, month)
        assert (figures.visits, figures.households_visited, figures.person_visits, figures.households) == (
            bare["visits"],
            bare["households"],
            bare["persons"],
            households,
        ), (figures, bare, households)

    timings: dict = {}
    hazard_figures = hazard_function()
    for label, region, samples in (
        ("county", county, args.samples),
        ("province", province, args.province_samples),
    ):
        for period in (month, year):
            if label == "province" and period is year:
                samples = max(5, samples // 4)
            measure(
                f"visits {label} {period.key}",
                lambda region=region, period=period: household_visit_figures(
                    region=region, period=period, today=TODAY
                ),
                bare_visits(region, period),
                samples,
                timings,
            )
            if hazard_figures is not None:
                measure(
                    f"hazards {label} {period.key}",
                    lambda region=region, period=period: hazard_figures(
                        region=region, period=period, today=TODAY
                    ),
                    bare_hazards(region, period),
                    samples,
                    timings,
                )
            both = (bare_visits(region, period), bare_hazards(region, period))
            measure(
                f"fieldwork_figures {label} {period.key}",
                lambda region=region, period=period: fieldwork_figures(
                    region=region, period=period, today=TODAY
                ),
                lambda both=both: [reference() for reference in both],
                samples,
                timings,
            )

    from sanling.hazards.models import Hazard

    county_villages = Region.objects.filter(path__startswith=county.path, level="village").count()
    print(f"# fieldwork benchmark, {args.db}, {machine()}")
    print(
        f"scale: {Region.objects.count():,} regions, {Subject.objects.count():,} subjects, "
        f"{HouseholdVisit.objects.count():,} household visits, {Hazard.objects.count():,} hazards; "
        f"county {county.name} ({county.code}, {county_villages} villages), province {province.name}; "
        f"today {TODAY}"
        + (
            f"; load: places {results['import']:.0f} s, visits {results['visits']:.0f} s, "
            f"hazards {results['hazards']:.0f} s"
            if "visits" in results
            else " (--reuse: data of an earlier run)"
        )
    )


if __name__ == "__main__":
    main()
