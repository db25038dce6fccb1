"""Writing records that belong to a subject and a date (events, disputes) with the rollups kept right.

The event and dispute services are thin faces over these three functions, so the locking, version check
and rollup maintenance live in one place.
"""

from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot, verb_if_changed
from sanling.core.concurrency import lock_for_edit

from .services import rollups_maintained


def _check_editable(changes: dict, editable: Iterable[str]) -> None:
    unknown = set(changes) - {"subject", *editable}
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")


@transaction.atomic
def dated_record_create(record: models.Model, *, date_field: str, change: str) -> models.Model:
    """Validate and save a new record, moving the rollups of its subject and date."""
    record.full_clean()
    with rollups_maintained(
        subject_ids=[record.subject_id], days=[getattr(record, date_field)], change=change
    ):
        record.save()
    audit_change(Action.CREATE, after=record)
    return record


@transaction.atomic
def dated_record_update(
    record: models.Model,
    *,
    version: int | None,
    changes: dict,
    editable: Iterable[str],
    date_field: str,
    change: str,
) -> models.Model:
    """Apply ``changes`` if ``version`` is still current; the rollups of the old and new subject and date move."""
    _check_editable(changes, editable)
    current = lock_for_edit(record, version)
    before = snapshot(current)
    updated = type(record).objects.get(pk=current.pk)
    for name, value in changes.items():
        setattr(updated, name, value)
    updated.full_clean()
    with rollups_maintained(
        subject_ids=[current.subject_id, updated.subject_id],
        days=[getattr(current, date_field), getattr(updated, date_field)],
        change=change,
    ):
        updated.version = F("version") + 1
        updated.save()
    updated.refresh_from_db()
    audit_change(Action.UPDATE, before=before, after=updated, verb=verb_if_changed(before, updated, "status"))
    return updated


@transaction.atomic
def dated_record_delete(record: models.Model, *, version: int | None, date_field: str, change: str) -> None:
    current = lock_for_edit(record, version)
    with rollups_maintained(
        subject_ids=[current.subject_id], days=[getattr(current, date_field)], change=change
    ):
        current.delete()
    audit_change(Action.DELETE, before=current)
