"""Bulk import of a county bundle (tier S: the demo county, 1,198 regions and 7,205 subjects).

Prints the time of a full import, of a re-import that changes nothing, and of the same subject rows
written by a bare ``executemany`` INSERT into a table of the same shape, run in the same process, so the
ratio says what validation and planning cost on top of the database's own write speed.

    .venv/bin/python bench/import_bench.py --db sqlite
    .venv/bin/python bench/import_bench.py --db postgres
"""

import argparse
import csv
import tempfile
from pathlib import Path

from common import machine, setup_django, timer


def reference_insert(rows: list[list[str]]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_reference")
        columns = ", ".join(f"c{index} varchar(200)" for index in range(len(rows[0])))
        cursor.execute(f"CREATE TABLE bench_reference (id integer primary key, {columns})")
        placeholders = ", ".join(["%s"] * (len(rows[0]) + 1))
        cursor.executemany(
            f"INSERT INTO bench_reference VALUES ({placeholders})",
            [[index, *row] for index, row in enumerate(rows)],
        )
        cursor.execute("DROP TABLE bench_reference")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    setup_django(args.db)

    from sanling.demo.county import build_demo_county
    from sanling.demo.services import demo_bundle_write
    from sanling.exchange.importer import bundle_import

    folder = demo_bundle_write(
        folder=Path(tempfile.mkdtemp(prefix="sanling-bundle-")), county=build_demo_county()
    )
    with (folder / "subjects.csv").open(encoding="utf-8") as file:
        subject_rows = list(csv.reader(file))[1:]

    results: dict[str, float] = {}
    with timer(results, "reference"):
        reference_insert(subject_rows)
    with timer(results, "import"):
        first = bundle_import(folder)
    with timer(results, "reimport"):
        second = bundle_import(folder)
    assert first.files["subjects"].created == len(subject_rows)
    assert not second.changed

    rows = sum(counts.created for counts in first.files.values())
    print(f"# import benchmark, tier S ({rows} rows: {len(subject_rows)} subjects), {args.db}, {machine()}")
    print(f"reference executemany of the subject rows : {results['reference']:.3f} s")
    print(
        f"full import (validate + write)            : {results['import']:.3f} s "
        f"({rows / results['import']:,.0f} rows/s, {results['import'] / results['reference']:.1f}x reference)"
    )
    print(
        f"re-import, no change                      : {results['reimport']:.3f} s "
        f"({results['reimport'] / results['reference']:.1f}x reference)"
    )


if __name__ == "__main__":
    main()
