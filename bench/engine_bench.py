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

REFERENCE_RUNS = 3  # DuckDB's full set is timed as the best of this many runs

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


def duckdb_rollups(folder, periods) -> tuple[float, dict]:
    """Every rollup row of ``periods`` that ``sanling recompute`` writes, built by DuckDB straight from the CSV
    files: each region x group, and each department and category x region from the town level up, with
    [active, compliant, broke petition, broke accident, broke case]. The reference for the full recompute:
    (seconds to build the rows into a table, best of the runs; the rows keyed as ``rollup_rows`` keys them)."""
    import duckdb

    with open(f"{folder}/subjects.csv", encoding="utf-8") as header_line:
        has_retired = "retired_on" in header_line.readline()
    retired = "nullif(s.retired_on, '')" if has_retired else "NULL"
    values = ", ".join(f"('{p.key}', '{p.start.isoformat()}', '{p.end.isoformat()}')" for p in periods)
    breaking = {
        "bp": "type = 'petition' AND petition_level IN ('county', 'city', 'province', 'national') "
        "AND coalesce(higher_authority_required, '否') <> '是'",
        "ba": "type IN ('accident', 'public_safety')",
        "bc": "type IN ('criminal_case', 'security_case')",
    }
    build = f"""
        CREATE OR REPLACE TABLE rollups AS
        WITH RECURSIVE
          periods(key, first_day, last_day) AS (VALUES {values}),
          regions AS (SELECT code, level, nullif(parent_code, '') AS parent_code
                      FROM read_csv('{folder}/regions.csv', all_varchar = true)),
          closure(code, ancestor) AS (
            SELECT code, code FROM regions
            UNION ALL SELECT c.code, r.parent_code FROM closure c JOIN regions r ON r.code = c.ancestor
            WHERE r.parent_code IS NOT NULL),
          ancestors AS (SELECT c.code, c.ancestor, r.level IN ('province', 'city', 'county', 'town') AS town_or_above
                        FROM closure c JOIN regions r ON r.code = c.ancestor),
          subjects AS (SELECT * FROM read_csv('{folder}/subjects.csv', all_varchar = true)),
          events AS (SELECT * FROM read_csv('{folder}/events.csv', all_varchar = true)),
          broken AS (SELECT e.subject_code, p.key,
                            {", ".join(f"max(CASE WHEN {rule} THEN 1 ELSE 0 END) AS {name}" for name, rule in breaking.items())}
                     FROM (SELECT *, unnest([substr(occurred_on, 1, 7), substr(occurred_on, 1, 4),
                                   substr(occurred_on, 1, 4) || 'Q' || (1 + (CAST(substr(occurred_on, 6, 2) AS integer) - 1) // 3)])
                                   AS period_key FROM events) e
                     JOIN periods p ON p.key = e.period_key
                     GROUP BY ALL),
          facts AS (SELECT p.key, s.region_code, s.department_code, s.category,
                           CASE WHEN s.kind IN ('village', 'community') THEN 'village' ELSE 'unit' END AS grp,
                           coalesce(b.bp, 0) AS bp, coalesce(b.ba, 0) AS ba, coalesce(b.bc, 0) AS bc
                    FROM subjects s JOIN periods p ON s.joined_on <= p.last_day
                         AND ({retired} IS NULL OR {retired} >= p.first_day)
                    LEFT JOIN broken b ON b.subject_code = s.code AND b.key = p.key),
          -- Counted by leaf first, then summed over each leaf's ancestors (as the recompute does).
          by_region AS (SELECT key, region_code, grp, {{counts}} FROM facts GROUP BY ALL),
          by_department AS (SELECT key, region_code, department_code, {{counts}} FROM facts
                            WHERE grp = 'unit' AND coalesce(department_code, '') <> '' GROUP BY ALL),
          by_category AS (SELECT key, region_code, category, {{counts}} FROM facts
                          WHERE grp = 'unit' AND coalesce(category, '') <> '' GROUP BY ALL)
        SELECT 'region' AS tbl, a.ancestor, c.key, c.grp, {{sums}} FROM by_region c
        JOIN ancestors a ON a.code = c.region_code GROUP BY ALL
        UNION ALL
        SELECT 'department', c.department_code, a.ancestor, c.key, {{sums}} FROM by_department c
        JOIN ancestors a ON a.code = c.region_code AND a.town_or_above GROUP BY ALL
        UNION ALL
        SELECT 'category', c.category, a.ancestor, c.key, {{sums}} FROM by_category c
        JOIN ancestors a ON a.code = c.region_code AND a.town_or_above GROUP BY ALL
    """.replace(
        "{counts}",
        "count(*) AS active, sum(CASE WHEN bp + ba + bc = 0 THEN 1 ELSE 0 END) AS compliant, "
        "sum(bp) AS bp, sum(ba) AS ba, sum(bc) AS bc",
    ).replace(
        "{sums}",
        "sum(c.active) AS active, sum(c.compliant) AS compliant, sum(c.bp) AS bp, sum(c.ba) AS ba, sum(c.bc) AS bc",
    )
    best = float("inf")
    for _run in range(REFERENCE_RUNS):
        database = duckdb.connect()
        database.execute("SET enable_progress_bar = false")
        start = time.perf_counter()
        database.execute(build)
        best = min(best, time.perf_counter() - start)
    rows = {}
    for table, first, second, third, *counts in database.execute("SELECT * FROM rollups").fetchall():
        rows[(table, first, second, third)] = tuple(int(value) for value in counts)
    database.close()
    return best, rows


def rollup_rows(period_keys) -> dict:
    """The rollup tables' rows of the periods, keyed by codes as ``duckdb_rollups`` keys them."""
    from sanling.assessment.models import COUNT_FIELDS, CategoryRollup, DepartmentRollup, RegionRollup
    from sanling.departments.models import Department
    from sanling.regions.models import Region

    regions = dict(Region.objects.values_list("id", "code"))
    departments = dict(Department.objects.values_list("id", "code"))
    rows = {}
    for table, model, keys, names in (
        ("region", RegionRollup, ("region_id", "period", "group"), (regions, None, None)),
        (
            "department",
            DepartmentRollup,
            ("department_id", "region_id", "period"),
            (departments, regions, None),
        ),
        ("category", CategoryRollup, ("category", "region_id", "period"), (None, regions, None)),
    ):
        for row in (
            model.objects.filter(period__in=period_keys).values_list(*keys, *COUNT_FIELDS).iterator(20_000)
        ):
            key = tuple(
                value if name is None else name[value] for name, value in zip(names, row[:3], strict=True)
            )
            if any(row[3:]):
                rows[(table, *key)] = tuple(row[3:])
    return rows


def bare_insert_table(event_model) -> str:
    """An empty table shaped like the events (same columns, defaults and identity, no index or key): the
    reference for a live update is one row inserted and committed there, in its own transaction."""
    from django.db import connection

    table = event_model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare_insert")
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TABLE bench_bare_insert (LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY)"
            )
        else:
            cursor.execute(f"CREATE TABLE bench_bare_insert AS SELECT * FROM {table} WHERE 0")
    return "bench_bare_insert"


def bare_insert(table: str, subject_id: int, day: datetime.date) -> float:
    from django.db import connection, transaction

    now = datetime.datetime.now(datetime.UTC)
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (ref, subject_id, type, occurred_on, title, petition_level, higher_authority_required, "
            "collective, accident_grade, deaths, injuries, status, version, created_at, updated_at) "
            "VALUES (%s, %s, 'criminal_case', %s, '基准', '', false, false, '', 0, 0, 'reported', 1, %s, %s)",
            [f"R{time.perf_counter_ns()}", subject_id, day, now, now],
        )
    return time.perf_counter() - start


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

    from django.db import connection, transaction

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
    # The recompute's reference, on the data as imported: DuckDB builds the same rows from the CSV files.
    periods = periods_of_year(YEAR)
    results["duckdb_rollups"], expected_rows = duckdb_rollups(folder, periods)
    ours_rows = rollup_rows({period.key for period in periods})
    missing = set(expected_rows) - set(ours_rows)
    extra = set(ours_rows) - set(expected_rows)
    unequal = [key for key in set(expected_rows) & set(ours_rows) if expected_rows[key] != ours_rows[key]]
    rows_verdict = (
        f"rollup rows equal DuckDB's: {'yes' if not (missing or extra or unequal) else 'NO'}"
        f" ({len(ours_rows):,} rows; {len(missing)} missing, {len(extra)} extra, {len(unequal)} different)"
    )
    del expected_rows, ours_rows
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
    live, bare = [], []
    bare_table = bare_insert_table(Event)
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
        # The reference, interleaved so that both see the same machine: one row inserted and committed.
        bare.append(bare_insert(bare_table, rng.choice(subject_ids), day))
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {bare_table}")
    progress({"live_p99": percentile(live, 0.99)})

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
    print(
        f"  reference: DuckDB builds the same rows from the CSV files: {results['duckdb_rollups']:8.2f} s"
        f" (best of {REFERENCE_RUNS})   recompute takes {results['recompute'] / results['duckdb_rollups']:.1f}x"
    )
    print(rows_verdict)
    print(f"checkpoint before the live phase    : {results['settle']:8.2f} s")
    print(
        f"live event create/update            : p50 {percentile(live, 0.5) * 1000:7.1f} ms   p99 {percentile(live, 0.99) * 1000:7.1f} ms"
    )
    print(
        f"  reference: bare single-row insert   : p50 {percentile(bare, 0.5) * 1000:7.1f} ms   p99 {percentile(bare, 0.99) * 1000:7.1f} ms"
        f"   live takes {percentile(live, 0.5) / percentile(bare, 0.5):.1f}x (p50), {percentile(live, 0.99) / percentile(bare, 0.99):.1f}x (p99)"
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
    with timer(results, "recompute_again"):
        assessment_recompute(years=[YEAR])
    print(f"recompute again (replacing the rows): {results['recompute_again']:8.2f} s")
    print(f"  {results['recompute_again'] / results['duckdb_rollups']:.1f}x DuckDB's build of the rows")
    for name, node, child_length in (("county", county, 9), ("province", province, 4)):
        ours = ours_as_reference(region_rates(region=node, period=year, by="child"), child_length)
        agree = ours == reference[f"{name}_expected"]
        print(f"{name} figures equal DuckDB's: {'yes' if agree else 'NO'}")


if __name__ == "__main__":
    main()
