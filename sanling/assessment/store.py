"""Reading and writing the maintained rollup tables as ``Totals``."""

from django.db import connection

from sanling.core.queries import chunks

from .engine import Totals
from .models import COUNT_FIELDS, CategoryRollup, DepartmentRollup, DisputeRollup, RegionRollup

BATCH = 5000
# (model, names of the key fields, names of the counted fields) in the order Totals keeps them.
TABLES = [
    (RegionRollup, ("region_id", "period", "group"), COUNT_FIELDS),
    (DepartmentRollup, ("department_id", "region_id", "period"), COUNT_FIELDS),
    (CategoryRollup, ("category", "region_id", "period"), COUNT_FIELDS),
    (DisputeRollup, ("region_id", "period"), ("registered", "resolved")),
]


def stored_totals(period_keys: set[str]) -> Totals:
    totals = Totals()
    for (model, keys, counts), table in zip(TABLES, totals.tables(), strict=True):
        for row in (
            model.objects.filter(period__in=period_keys)
            .values_list(*keys, *counts)
            .iterator(chunk_size=BATCH)
        ):
            values = list(row[len(keys) :])
            if any(values):
                table[tuple(row[: len(keys)])] = values
    return totals


def totals_add(delta: Totals) -> None:
    """Add ``delta`` to the stored rows with an atomic ``UPDATE … SET n = n + d`` per table.

    Rows that a positive count needs are created first; rows left with nothing are removed, so the
    tables always hold exactly what a rebuild would write.
    """
    for (model, keys, counts), table in zip(TABLES, delta.tables(), strict=True):
        # In key order, so that two writers sharing ancestors (a province's, a city's rows) lock the rows they
        # share in the same order and do not deadlock.
        changes = {key: values for key, values in sorted(table.items()) if any(values)}
        if not changes:
            continue
        model.objects.bulk_create(
            [model(**dict(zip(keys, key, strict=True))) for key, values in changes.items() if values[0] > 0],
            ignore_conflicts=True,
        )
        _add_to_rows(model, keys, counts, changes)
        region_index = keys.index("region_id")
        if all(values[0] >= 0 for values in changes.values()):
            continue  # nothing shrank, so no row can have emptied
        model.objects.filter(
            region_id__in={key[region_index] for key in changes},
            period__in={key[keys.index("period")] for key in changes},
            **{counts[0]: 0},
        ).delete()


def _add_to_rows(
    model, keys: tuple[str, ...], counts: tuple[str, ...], changes: dict[tuple, list[int]]
) -> None:
    """``UPDATE … SET n = n + d FROM (VALUES …)``: every row of a table moved by one statement (a live
    event moves its counts on every ancestor, in its month, quarter and year)."""
    meta = model._meta
    table = connection.ops.quote_name(meta.db_table)
    key_columns = [meta.get_field(name).column for name in keys]
    count_columns = [meta.get_field(name).column for name in counts]
    # The first row's casts type the VALUES columns (column1, column2… on both databases).
    casts = [f"CAST(%s AS {meta.get_field(name).cast_db_type(connection)})" for name in keys]
    casts += ["CAST(%s AS integer)"] * len(counts)
    first_row = f"({', '.join(casts)})"
    other_row = f"({', '.join(['%s'] * (len(keys) + len(counts)))})"
    quoted = connection.ops.quote_name
    assignments = ", ".join(
        f"{quoted(column)} = {table}.{quoted(column)} + v.column{len(keys) + index + 1}"
        for index, column in enumerate(count_columns)
    )
    matches = " AND ".join(
        f"{table}.{quoted(column)} = v.column{index + 1}" for index, column in enumerate(key_columns)
    )
    rows = [(*key, *values) for key, values in changes.items()]
    with connection.cursor() as cursor:
        for batch in chunks(rows, BATCH // 10):
            values = ", ".join([first_row, *[other_row] * (len(batch) - 1)])
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v WHERE {matches}",
                [value for row in batch for value in row],
            )


def totals_difference(expected: Totals, actual: Totals) -> list[str]:
    """Human-readable differences between two Totals (for ``recompute --check``)."""
    differences = []
    for (model, keys, counts), want, have in zip(TABLES, expected.tables(), actual.tables(), strict=True):
        for key in sorted(set(want) | set(have), key=str):
            wanted, had = list(want.get(key, [0] * len(counts))), list(have.get(key, [0] * len(counts)))
            if wanted != had:
                fields = ", ".join(
                    f"{name} {h}≠{w}" for name, h, w in zip(counts, had, wanted, strict=True) if h != w
                )
                differences.append(f"{model._meta.model_name} {dict(zip(keys, key, strict=True))}: {fields}")
    return differences
