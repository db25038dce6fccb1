"""Query helpers for sets of keys too large for one ``IN (…)`` (SQLite allows 32,766 parameters).

On PostgreSQL a chunk of keys travels as one array parameter (``= ANY(%s)``): an ``IN`` list of thousands of
placeholders costs more to build and parse than the lookup itself, which mattered for imports of millions
of rows.
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from django.db import connection
from django.db.models import Field, ForeignObject, Lookup, QuerySet

CHUNK = 5000
ARRAY_CHUNK = 50_000


class KeyArray:
    """A chunk of keys bound as one array. Not a list, so Django passes it through untouched instead of
    resolving each of its 50,000 values as a possible expression."""

    def __init__(self, keys: list):
        self.keys = keys


class AnyOf(Lookup):
    """``field__any_of=[…]``: ``field = ANY(array)`` (PostgreSQL only; ``filter_in`` picks it)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [value.keys if isinstance(value, KeyArray) else list(value)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # An array of the column's own type: with another (psycopg sends small ints as int2[]) the planner
        # cannot use the column's statistics and guesses thousands of rows for one key.
        array_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY({rhs}::{array_type}[])", [*lhs_params, *rhs_params]


Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)  # foreign keys keep a registry of their own


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def filter_in(
    queryset: QuerySet, lookup: str, values: Iterable, *, key_of: Callable[[Any], Any] | None = None
) -> Iterator:
    """The rows of ``queryset`` whose ``lookup`` is one of ``values``, fetched a chunk of keys at a time.

    Given ``key_of`` (a row's ``lookup`` value), more than one chunk of keys that are at least half as many
    as the rows is answered by reading the queryset whole instead (looking a key up costs more than reading
    a row): a province's first import names most of the codes the tables hold. Fewer keys are looked up
    without counting the rows.
    """
    wanted = set(values)
    if key_of is not None and len(wanted) > ARRAY_CHUNK and len(wanted) * 2 >= queryset.count():
        yield from (row for row in queryset.iterator(chunk_size=20_000) if key_of(row) in wanted)
        return
    keys = sorted(wanted)  # in index order
    if connection.vendor == "postgresql":
        for chunk in chunks(keys, ARRAY_CHUNK):
            yield from queryset.filter(**{f"{lookup}__any_of": KeyArray(chunk)})
        return
    for chunk in chunks(keys):
        yield from queryset.filter(**{f"{lookup}__in": chunk})
