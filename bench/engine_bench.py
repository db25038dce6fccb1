"""The compliance engine at tier S (a county) or M (a province), on SQLite or PostgreSQL.

Measures, in one process: bulk import (rows/s, rollups rebuilt separately), a full recompute, the
latency of live event updates (p50/p99), and ``rates`` queries (p99) at a county and the province node.
DuckDB computes the same rates straight from the CSV files as a reference: the figures must agree,
and the times are printed as ratios to it.

    .venv/bin/python bench/engine_bench.py --tier S --db sqlite
    .venv/bin/python bench/engine_bench.py --tier M --db postgres     # about 15 minutes on 2 cores
"""

import argparse
import datetime
import random
import sys
import time

from common import machine, percentile, setup_django, timer
from generate import YEAR, generate

BREAKING = """
    type IN ('accident', 'public_safety', 'criminal_case', 'security_case')
    OR (type = 'petition' AND petition_level IN ('county', 'city', 'province', 'national')
        AND coalesce(higher_authority_required, '否') <> '是')
"""


def duckdb_rates(folder, prefix: str, child_length: int, start: str, end: str) -> dict:
    """(child code prefix, group) -> (active, compliant), from the CSV files alone."""
    import duckdb

    with open(f"{folder}/subjects.csv", encoding="utf-8") as header_line:
        has_retired = "retired_on" in header_line.readline()
    # Tier M's generated subjects never retire and have no such column.
    not_retired = (
        f"AND (s.retired_on IS NULL OR s.retired_on = '' OR s.retired_on >= '{start}')" if has_retired else ""
    )
    query = f"""
        WITH subjects AS (SELECT * FROM read_csv('{folder}/subjects.csv', all_varchar = true)),
             events AS (SELECT * FROM read_csv('{folder}/events.csv', all_varchar = true)),
             broken AS (SELECT DISTINCT subject_code FROM events
                        WHERE occurred_on BETWEEN '{start}' AND '{end}' AND ({BREAKING}))
        SELECT substr(s.region_code, 1, {child_length}) AS child,
               CASE WHEN kind IN ('village', 'community') THEN 'village' ELSE 'unit' END AS grp,
               count(*) AS active, count(*) FILTER (WHERE b.subject_code IS NULL) AS compliant
        FROM subjects s LEFT JOIN broken b ON b.subject_code = s.code
        WHERE s.region_code LIKE '{prefix}%' AND s.joined_on <= '{end}'
          {not_retired}
        GROUP BY 1, 2
    """
    return {
        (child, group): (active, compliant)
        for child, group, active, compliant in duckdb.sql(query).fetchall()
    }


def progress(figures: dict) -> None:
    """Intermediate figures on stderr, so a long run that fails late still tells what it measured."""
    print(" ".join(f"{name}={value:.3f}" for name, value in figures.items()), file=sys.stderr, flush=True)


def ours_as_reference(rows, child_length: int) -> dict:
    return {
        (row.region_code[:child_length], row.group): (row.active, row.compliant) for row in rows if row.active
    }


def settle() -> None:
    """Write out everything the bulk phases left dirty (a checkpoint), so later timings start level."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CHECKPOINT" if connection.vendor == "postgresql" else "PRAGMA wal_checkpoint(TRUNCATE)"
        )


def bare_load(event_model, events_file) -> float:
    """The reference for the events import: the same rows, already typed, written into an empty copy of
    the table without indexes, keys, checks or audit (psycopg's COPY; SQLite's executemany)."""
    from django.db import connection, transaction

    from sanling.subjects.models import Subject

    subject_ids = dict(Subject.objects.values_list("code", "id"))
    now = datetime.datetime.now(datetime.UTC)
    rows = [
        (
            row["ref"],
            subject_ids[row["subject_code"]],
            row["type"],
            datetime.date.fromisoformat(row["occurred_on"]),
            row["title"],
            row.get("petition_level", ""),
            False,
            False,
            row.get("accident_grade", ""),
            0,
            0,
            "reported",
            1,
            now,
            now,
        )
        for _number, row in events_file.rows
    ]
    table = event_model._meta.db_table
    columns = "ref, subject_id, type, occurred_on, title, petition_level, higher_authority_required, collective, accident_grade, deaths, injuries, status, version, created_at, updated_at"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE bare_events (LIKE {table} INCLUDING IDENTITY)")
            start = time.perf_counter()
            with cursor.cursor.copy(f"COPY bare_events ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.execute(f"CREATE TEMP TABLE bare_events AS SELECT * FROM {table} WHERE 0")
            start = time.perf_counter()
            cursor.executemany(f"INSERT INTO bare_events ({columns}) VALUES ({', '.join(['%s'] * 15)})", rows)
        elapsed = time.perf_counter() - start
        cursor.execute("DROP TABLE bare_events")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tier", choices=["S", "M"], default="S")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--samples", type=int, default=300)
    args = parser.parse_args()
    folder = generate(args.tier)
    setup_django(args.db)

    from django.db import transaction

    from sanling.assessment.periods import Period, periods_of_year
    from sanling.assessment.selectors import region_rates
    from sanling.assessment.services import assessment_check, assessment_recompute
    from sanling.core.bulk import collector_paused
    from sanling.events.models import Event
    from sanling.events.services import event_create, event_update
    from sanling.exchange.importer import BundleImporter
    from sanling.exchange.reader import read_bundle
    from sanling.regions.models import Region
    from sanling.subjects.models import Subject

    results: dict[str, float] = {}
    tables = read_bundle(folder)
    events_file = tables.pop("events")
    counts = {name: len(table.rows) for name, table in tables.items()}
    # As bundle_import does it, less reading the files and rebuilding the rollups (timed as the recompute).
    with timer(results, "import_base"), collector_paused(), transaction.atomic():
        importer = BundleImporter(tables)
        importer.validate()
        assert not importer.errors, importer.errors[:5]
        importer.plan()
        importer.write()
        importer.audit()
    with timer(results, "import_events"), collector_paused(), transaction.atomic():
        importer = BundleImporter({"events": events_file})
        importer.validate()
        assert not importer.errors, importer.errors[:5]
        importer.plan()
        importer.write()
        importer.audit()  # one audit entry per event, as every import writes
    results["bare_events"] = bare_load(Event, events_file)
    with timer(results, "recompute"):
        assessment_recompute(years=[YEAR])
    progress(results)

    # Start the live phase level: flush what the bulk phases left for the server's next checkpoint, and
    # report how long that took (0.4-0.5 s at tier M on PostgreSQL: what remains after the import's own
    # commit is small, so the live figures' spread between runs is the machine's, not this).
    with timer(results, "settle"):
        settle()
    progress(results)

    province = Region.objects.get(parent__isnull=True)
    county = Region.objects.filter(level="county").order_by("code").first()
    rng = random.Random(7)
    subject_ids = list(Subject.objects.values_list("id", flat=True))
    live = []
    for number in range(args.samples):
        day = datetime.date(YEAR, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        start = time.perf_counter()
        if number % 3 == 2:
            event = Event.objects.get(ref=f"B{rng.randrange(len(events_file.rows)):08d}")
            event_update(event=event, version=None, occurred_on=day)
        else:
            event_create(
                subject=Subject(pk=rng.choice(subject_ids)),
                type="criminal_case",
                occurred_on=day,
                title="基准",
            )
        live.append(time.perf_counter() - start)
    progress({"live_p99": percentile(live, 0.99)})

    periods = periods_of_year(YEAR)
    query_times = {"county": [], "province": []}
    for name, node in (("county", county), ("province", province)):
        for _ in range(args.samples):
            period = rng.choice(periods)
            start = time.perf_counter()
            region_rates(region=node, period=period, by="child")
            query_times[name].append(time.perf_counter() - start)

    # The reference, on the data as imported (before the live updates above).
    with timer(results, "check"):
        differences = assessment_check(years=[YEAR])
    year = Period.of_year(YEAR)
    reference = {}
    for name, node, prefix_length, child_length in (("county", county, 6, 9), ("province", province, 2, 4)):
        start = time.perf_counter()
        expected = duckdb_rates(
            folder, node.code[:prefix_length], child_length, year.start.isoformat(), year.end.isoformat()
        )
        reference[name] = time.perf_counter() - start
        reference[f"{name}_expected"] = expected

    print(f"# engine benchmark, tier {args.tier}, {args.db}, {machine()}")
    print(
        f"scale: {counts.get('regions', 0):,} regions, {counts.get('subjects', 0):,} subjects, {len(events_file.rows):,} events in {YEAR}"
    )
    base_rows = sum(counts.values())
    print(
        f"import regions+departments+subjects : {results['import_base']:8.2f} s  {base_rows / results['import_base']:>10,.0f} rows/s"
    )
    print(
        f"import events                       : {results['import_events']:8.2f} s  {len(events_file.rows) / results['import_events']:>10,.0f} events/s"
    )
    print(
        f"  reference: bare load of the events   : {results['bare_events']:8.2f} s   import takes {results['import_events'] / results['bare_events']:.1f}x as long"
    )
    print(f"full recompute of {YEAR}             : {results['recompute']:8.2f} s")
    print(f"checkpoint before the live phase    : {results['settle']:8.2f} s")
    print(
        f"live event create/update            : p50 {percentile(live, 0.5) * 1000:7.1f} ms   p99 {percentile(live, 0.99) * 1000:7.1f} ms"
    )
    for name in ("county", "province"):
        p99 = percentile(query_times[name], 0.99)
        print(
            f"rates by child at the {name:<8} node : p99 {p99 * 1000:7.2f} ms   DuckDB from CSV {reference[name] * 1000:8.1f} ms"
            f"   ratio {reference[name] / p99:,.0f}x faster"
        )
    print(
        f"recompute --check after {args.samples} live updates: {'no difference' if not differences else f'{len(differences)} DIFFERENCES'}"
        f" ({results['check']:.2f} s)"
    )
    # Compare with DuckDB: recompute again without the live updates' events.
    Event.objects.filter(title="基准").delete()
    assessment_recompute(years=[YEAR])
    for name, node, child_length in (("county", county, 9), ("province", province, 4)):
        ours = ours_as_reference(region_rates(region=node, period=year, by="child"), child_length)
        agree = ours == reference[f"{name}_expected"]
        print(f"{name} figures equal DuckDB's: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
