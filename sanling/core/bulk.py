"""Fast inserts for the few places that write hundreds of thousands of rows at once (bundle imports and
rollup rebuilds): ``COPY`` on PostgreSQL, one prepared ``executemany`` on SQLite.

Django's ``bulk_create`` prepares every value through its field machinery, which costs more than the
database write itself at this size. Callers pass values already in Python form; dates and datetimes are
adapted here per column, once.
"""

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import connection, models
from psycopg.postgres import types as postgres_types
from psycopg.types.json import Jsonb

JSON_TYPES = {postgres_types.get("json").oid, postgres_types.get("jsonb").oid}


def _adapter(field: models.Field) -> Callable[[object], object]:
    """SQLite's form of a value of ``field``."""
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return lambda value: value


def fast_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` (tuples of values for ``fields``, by attribute name) into ``model``'s table.

    Values are in Python form, of the column's own type; a JSON column takes its JSON text. Personal fields
    are given in clear and written encrypted, with their blind indexes (``personal.fields.sealed_rows``).
    """
    from sanling.personal.fields import sealed_rows

    fields, rows = sealed_rows(model, list(fields), rows)
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(meta.db_table)
    if connection.vendor == "postgresql":
        return _copy_binary(model, columns, quoted, rows)
    adapters = [_adapter(meta.get_field(name)) for name in fields]
    needs_adapting = any(isinstance(meta.get_field(name), models.DateField) for name in fields)
    prepared = (
        [adapt(value) for adapt, value in zip(adapters, row, strict=True)] if needs_adapting else row
        for row in rows
    )
    count = 0
    sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        batch: list = []
        for row in prepared:
            batch.append(row)
            if len(batch) == 10_000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _copy_binary(model: type[models.Model], columns: list[str], quoted: str, rows: Iterable) -> int:
    """``COPY … (FORMAT BINARY)`` with the columns' exact types: the server parses no text (but JSON), and
    psycopg packs each row in C, four times faster than the text format for the rows of an import."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
            [model._meta.db_table],
        )
        types = dict(cursor.fetchall())
        column_types = [types[column] for column in columns]
        json_positions = [position for position, oid in enumerate(column_types) if oid in JSON_TYPES]
        count = 0
        table = connection.ops.quote_name(model._meta.db_table)
        with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(column_types)
            for row in rows:
                if json_positions:
                    row = list(row)
                    for position in json_positions:
                        row[position] = Jsonb(row[position], dumps=str)  # already JSON text
                copy.write_row(row)
                count += 1
        return count


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a block that builds millions of objects and keeps them: an import
    holds every row, record and audit entry of its files until it commits. The collector would walk them
    all, again and again, to find cycles they do not form (6% of a province's events import); whatever
    cycles the block does leave are collected once it ends."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def analyze(*models: type[models.Model]) -> None:
    """Refresh PostgreSQL's statistics of tables that just took a bulk load. Until autovacuum gets to
    them the planner guesses their size, and a query for one subject can turn into a scan of all."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def table_rows(model: type[models.Model]) -> int:
    """PostgreSQL's estimate of the rows in ``model``'s table (0 for a table never analyzed)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        return max(int(cursor.fetchone()[0]), 0)


@contextmanager
def bulk_load(model: type[models.Model], rows: int, *, unique_keys: bool = False) -> Iterator[None]:
    """Load ``rows`` new rows into ``model``'s table inside the block, the way ``pg_restore`` does.

    When the load is large (``BULK_REBUILD_ROWS`` or more) and at least as big as the table, its
    secondary indexes and foreign keys are dropped for the block and rebuilt after it, in one sorted pass
    each: for a province's two million events that is three times faster than maintaining their indexes
    and checking a foreign key row by row (PostgreSQL manual, "Populating a Database"). Unique indexes
    stay, so duplicates still fail at once, unless ``unique_keys`` says the load cannot make any (rows made by
    a ``GROUP BY`` on the key, a rollup rebuild): then unique constraints are dropped too and added back after
    the load, which checks them in the same sorted pass (a province's 1.85 million region rollups: about half
    of the time their ``INSERT`` took went into inserting each key into the unique index). Everything happens in the caller's transaction: a failure
    rolls the drops back with the rows. The table is locked against other sessions until the commit.
    """
    if connection.vendor != "postgresql" or rows < settings.BULK_REBUILD_ROWS or rows < table_rows(model):
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("bulk_load needs a transaction: a failure must restore the dropped indexes")
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT index.relname, pg_get_indexdef(index.oid)
               FROM pg_index JOIN pg_class index ON index.oid = pg_index.indexrelid
               WHERE pg_index.indrelid = %s::regclass
                 AND NOT pg_index.indisunique AND NOT pg_index.indisprimary AND NOT pg_index.indisexclusion""",
            [model._meta.db_table],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass"
            " AND contype = ANY(%s) ORDER BY contype DESC",  # unique constraints ('u') are added back first
            [model._meta.db_table, ["f", "u"] if unique_keys else ["f"]],
        )
        constraints = cursor.fetchall()
        # Checks still deferred from earlier writes of this transaction would forbid altering the tables
        # they concern: run them now (they would fail at the commit anyway), then defer again.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")  # sorts of millions of keys in memory
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}"
            )
