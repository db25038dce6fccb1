"""Writes of events. Each one moves every affected 达标率 in the same transaction."""

import uuid

from django.utils import timezone

from sanling.assessment.records import dated_record_create, dated_record_delete, dated_record_update

from .models import EVENT_FIELDS, Event


def new_ref(prefix: str) -> str:
    """A reference for a record entered on screen or through the API: prefix, date and a random part."""
    return f"{prefix}{timezone.localdate():%Y%m%d}{uuid.uuid4().hex[:8].upper()}"


def event_create(*, ref: str = "", **fields) -> Event:
    """Record an event against a subject."""
    return dated_record_create(
        Event(ref=ref or new_ref("E"), **fields), date_field="occurred_on", change="events"
    )


def event_update(*, event: Event, version: int | None, **changes) -> Event:
    """Change an event (its date, subject, type, level…); a stale ``version`` changes nothing."""
    return dated_record_update(
        event,
        version=version,
        changes=changes,
        editable=(*EVENT_FIELDS, "hazard"),
        date_field="occurred_on",
        change="events",
    )


def event_delete(*, event: Event, version: int | None) -> None:
    """Remove an event recorded in error."""
    dated_record_delete(event, version=version, date_field="occurred_on", change="events")
