"""Reading and writing the maintained rollup tables as ``Totals``."""

from collections import defaultdict

from django.db.models import F

from sanling.core.bulk import fast_insert

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


def totals_replace(period_keys: set[str], totals: Totals) -> None:
    """Replace every rollup row of the periods by ``totals`` (a rebuild)."""
    for (model, keys, counts), table in zip(TABLES, totals.tables(), strict=True):
        model.objects.filter(period__in=period_keys).delete()
        fast_insert(model, [*keys, *counts], ((*key, *values) for key, values in table.items()))


def totals_add(delta: Totals) -> None:
    """Add ``delta`` to the stored rows with atomic ``UPDATE … SET n = n + d`` statements.

    Rows that a positive count needs are created first; rows left with nothing are removed, so the
    tables always hold exactly what a rebuild would write.
    """
    for (model, keys, counts), table in zip(TABLES, delta.tables(), strict=True):
        changes = {key: values for key, values in table.items() if any(values)}
        if not changes:
            continue
        model.objects.bulk_create(
            [model(**dict(zip(keys, key, strict=True))) for key, values in changes.items() if values[0] > 0],
            ignore_conflicts=True,
        )
        # One UPDATE per distinct delta and key apart from the region: a new event typically moves the
        # same counts on every ancestor, so it is one statement per period.
        region_index = keys.index("region_id")
        grouped: dict[tuple, list[int]] = defaultdict(list)
        for key, values in changes.items():
            fixed = tuple(part for index, part in enumerate(key) if index != region_index)
            grouped[(tuple(values), fixed)].append(key[region_index])
        other_keys = [name for name in keys if name != "region_id"]
        for (values, fixed), region_ids in grouped.items():
            model.objects.filter(
                region_id__in=region_ids, **dict(zip(other_keys, fixed, strict=True))
            ).update(**{name: F(name) + value for name, value in zip(counts, values, strict=True) if value})
        if all(values[0] >= 0 for values in changes.values()):
            continue  # nothing shrank, so no row can have emptied
        model.objects.filter(
            region_id__in={key[region_index] for key in changes},
            period__in={key[keys.index("period")] for key in changes},
            **{counts[0]: 0},
        ).delete()


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
