"""Bulk loads on PostgreSQL: secondary indexes and foreign keys rebuilt after a large load, never lost."""

import pytest
from django.db import IntegrityError, connection, transaction

from sanling.assessment.models import RegionRollup
from sanling.core.bulk import bulk_load
from sanling.events.models import Event
from sanling.regions.services import region_create

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL bulk-load technique"),
]


def schema_of(model) -> set[str]:
    """The definitions of the table's indexes and foreign keys."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [table])
        indexes = {row[0] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [table],
        )
        return indexes | {row[0] for row in cursor.fetchall()}


@pytest.fixture
def rebuild_from_one_row(settings):
    settings.BULK_REBUILD_ROWS = 1


def test_inside_a_large_load_only_the_unique_indexes_remain(rebuild_from_one_row):
    with bulk_load(Event, 1000):
        remaining = schema_of(Event)
    assert all("UNIQUE" in definition for definition in remaining)
    assert {"events_event_pkey", "event_ref_unique"} <= {d.split()[3] for d in remaining}


def test_after_a_large_load_the_table_has_the_same_indexes_and_foreign_keys(rebuild_from_one_row):
    before = schema_of(Event)
    with bulk_load(Event, 1000):
        pass
    assert schema_of(Event) == before


def test_a_load_smaller_than_the_threshold_keeps_every_index(settings):
    settings.BULK_REBUILD_ROWS = 100_000
    before = schema_of(Event)
    with bulk_load(Event, 99_999):
        assert schema_of(Event) == before


def test_a_failed_load_gives_the_indexes_back(rebuild_from_one_row):
    before = schema_of(Event)
    with pytest.raises(RuntimeError), transaction.atomic(), bulk_load(Event, 1000):
        raise RuntimeError("the load failed half-way")
    assert schema_of(Event) == before


def test_a_load_of_unique_keys_drops_the_unique_constraints_and_adds_them_back(rebuild_from_one_row):
    before = schema_of(RegionRollup)
    with transaction.atomic(), bulk_load(RegionRollup, 1000, unique_keys=True):
        assert not any("region_rollup_key" in definition for definition in schema_of(RegionRollup))
    assert schema_of(RegionRollup) == before


def test_duplicates_loaded_with_unique_keys_fail_when_the_keys_are_added_back(rebuild_from_one_row):
    region = region_create(code="410000000000", name="省", level="province")
    with pytest.raises(IntegrityError), transaction.atomic(), bulk_load(RegionRollup, 1000, unique_keys=True):
        for _copy in range(2):
            RegionRollup.objects.create(region=region, period="2025", group="unit", active=1)
