"""What the tamper tests do: write to the audit tables as someone who owns the database. On PostgreSQL the
append-only trigger stands in the way of plain UPDATE and DELETE; its owner can switch it off, and so can
an attacker holding the owner's rights (the key and the anchors are what catch them)."""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

TRIGGER = "audit_entry_append_only"


@contextmanager
def owner_cursor() -> Iterator:
    with connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            cursor.execute(f"ALTER TABLE audit_auditentry DISABLE TRIGGER {TRIGGER}")
        try:
            yield cursor
        finally:
            if postgres:
                cursor.execute(f"ALTER TABLE audit_auditentry ENABLE TRIGGER {TRIGGER}")
