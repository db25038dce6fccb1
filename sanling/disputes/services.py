"""Writes of disputes; each keeps the 化解率 rollups right in the same transaction."""

from django.db import transaction
from django.db.models import F

from sanling.assessment.services import rollups_maintained
from sanling.core.concurrency import lock_for_edit
from sanling.events.services import new_ref

from .models import Dispute

EDITABLE_FIELDS = (
    "subject",
    "reported_on",
    "category",
    "summary",
    "status",
    "resolved_level",
    "resolved_on",
    "method",
)


@transaction.atomic
def dispute_create(*, ref: str = "", **fields) -> Dispute:
    """Register a dispute against a subject."""
    dispute = Dispute(ref=ref or new_ref("D"), **fields)
    dispute.full_clean()
    with rollups_maintained(subject_ids=[dispute.subject_id], days=[dispute.reported_on], change="disputes"):
        dispute.save()
    return dispute


@transaction.atomic
def dispute_update(*, dispute: Dispute, version: int | None, **changes) -> Dispute:
    """Change a dispute (mediate, resolve, escalate…); a stale ``version`` changes nothing."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = lock_for_edit(dispute, version)
    updated = Dispute.objects.get(pk=current.pk)
    for name, value in changes.items():
        setattr(updated, name, value)
    updated.full_clean()
    with rollups_maintained(
        subject_ids=[current.subject_id, updated.subject_id],
        days=[current.reported_on, updated.reported_on],
        change="disputes",
    ):
        updated.version = F("version") + 1
        updated.save()
    updated.refresh_from_db()
    return updated


@transaction.atomic
def dispute_delete(*, dispute: Dispute, version: int | None) -> None:
    current = lock_for_edit(dispute, version)
    with rollups_maintained(subject_ids=[current.subject_id], days=[current.reported_on], change="disputes"):
        current.delete()
