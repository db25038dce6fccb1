"""Query helpers for sets of keys too large for one ``IN (…)`` (SQLite allows 32,766 parameters)."""

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db.models import QuerySet

CHUNK = 5000


def chunks(values: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def filter_in(queryset: QuerySet, lookup: str, values: Iterable) -> Iterator:
    """The rows of ``queryset`` whose ``lookup`` is one of ``values``, fetched a chunk of keys at a time."""
    for chunk in chunks(sorted(set(values), key=str)):
        yield from queryset.filter(**{f"{lookup}__in": chunk})
