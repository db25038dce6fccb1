"""Fast inserts for the few places that write hundreds of thousands of rows at once (bundle imports and
rollup rebuilds): ``COPY`` on PostgreSQL, one prepared ``executemany`` on SQLite.

Django's ``bulk_create`` prepares every value through its field machinery, which costs more than the
database write itself at this size. Callers pass values already in Python form; dates and datetimes are
adapted here per column, once.
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, models


def _adapter(field: models.Field) -> Callable[[object], object]:
    if connection.vendor == "postgresql":
        return lambda value: value
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else value.isoformat()
    return lambda value: value


def fast_insert(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Insert ``rows`` (tuples of values for ``fields``, by attribute name) into ``model``'s table."""
    meta = model._meta
    columns = [meta.get_field(name).column for name in fields]
    adapters = [_adapter(meta.get_field(name)) for name in fields]
    needs_adapting = connection.vendor != "postgresql" and any(
        isinstance(meta.get_field(name), models.DateField) for name in fields
    )
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        prepared = (
            [adapt(value) for adapt, value in zip(adapters, row, strict=True)] if needs_adapting else row
            for row in rows
        )
        batch: list = []
        sql = f"INSERT INTO {table} ({quoted}) VALUES ({', '.join(['%s'] * len(columns))})"
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


def analyze(*models: type[models.Model]) -> None:
    """Refresh PostgreSQL's statistics of tables that just took a bulk load. Until autovacuum gets to
    them the planner guesses their size, and a query for one subject can turn into a scan of all."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
