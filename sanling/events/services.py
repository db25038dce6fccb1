"""Writes of events. Each one moves every affected 达标率 in the same transaction."""

import uuid

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sanling.assessment.services import rollups_maintained
from sanling.core.concurrency import lock_for_edit

from .models import Event

EDITABLE_FIELDS = (
    "type",
    "subject",
    "occurred_on",
    "title",
    "petition_level",
    "higher_authority_required",
    "collective",
    "accident_grade",
    "deaths",
    "injuries",
    "status",
)


def new_ref(prefix: str) -> str:
    return f"{prefix}{timezone.localdate():%Y%m%d}{uuid.uuid4().hex[:8].upper()}"


@transaction.atomic
def event_create(*, ref: str = "", **fields) -> Event:
    """Record an event against a subject."""
    event = Event(ref=ref or new_ref("E"), **fields)
    event.full_clean()
    with rollups_maintained(subject_ids=[event.subject_id], days=[event.occurred_on], change="events"):
        event.save()
    return event


@transaction.atomic
def event_update(*, event: Event, version: int | None, **changes) -> Event:
    """Change an event (its date, subject, type, level…); a stale ``version`` changes nothing."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = lock_for_edit(event, version)
    updated = Event.objects.get(pk=current.pk)
    for name, value in changes.items():
        setattr(updated, name, value)
    updated.full_clean()
    with rollups_maintained(
        subject_ids=[current.subject_id, updated.subject_id],
        days=[current.occurred_on, updated.occurred_on],
        change="events",
    ):
        updated.version = F("version") + 1
        updated.save()
    updated.refresh_from_db()
    return updated


@transaction.atomic
def event_delete(*, event: Event, version: int | None) -> None:
    """Remove an event recorded in error."""
    current = lock_for_edit(event, version)
    with rollups_maintained(subject_ids=[current.subject_id], days=[current.occurred_on], change="events"):
        current.delete()
