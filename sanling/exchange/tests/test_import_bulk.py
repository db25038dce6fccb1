"""A province-sized import on PostgreSQL rebuilds indexes and foreign keys after loading (core/bulk.py)."""

import pytest
from django.db import IntegrityError, connection, transaction

from sanling.assessment.services import assessment_check
from sanling.audit.models import AuditEntry
from sanling.core.tests.test_bulk import schema_of
from sanling.events.models import Event
from sanling.exchange.importer import bundle_import

from .conftest import EVENT_ROWS

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL bulk-load technique"),
]


@pytest.fixture(autouse=True)
def every_import_is_large(settings):
    settings.BULK_REBUILD_ROWS = 1


def test_a_bundle_of_subjects_and_events_loads_with_rebuilt_indexes(bundle):
    # The subjects' own foreign-key checks are still pending when the events' foreign key is dropped.
    before = schema_of(Event), schema_of(AuditEntry)
    result = bundle_import(bundle())
    assert result.files["events"].created == len(EVENT_ROWS) - 1
    assert (schema_of(Event), schema_of(AuditEntry)) == before
    assert assessment_check() == []


def test_the_rebuilt_foreign_key_still_refuses_an_unknown_subject(bundle):
    bundle_import(bundle())
    event = Event.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(subject_id=10**9)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
