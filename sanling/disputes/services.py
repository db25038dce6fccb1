"""Writes of disputes; each keeps the 化解率 rollups right in the same transaction."""

from sanling.assessment.records import dated_record_create, dated_record_delete, dated_record_update
from sanling.events.services import new_ref

from .models import DISPUTE_FIELDS, Dispute


def dispute_create(*, ref: str = "", **fields) -> Dispute:
    """Register a dispute against a subject."""
    return dated_record_create(
        Dispute(ref=ref or new_ref("D"), **fields), date_field="reported_on", change="disputes"
    )


def dispute_update(*, dispute: Dispute, version: int | None, **changes) -> Dispute:
    """Change a dispute (mediate, resolve, escalate…); a stale ``version`` changes nothing."""
    return dated_record_update(
        dispute,
        version=version,
        changes=changes,
        editable=DISPUTE_FIELDS,
        date_field="reported_on",
        change="disputes",
    )


def dispute_delete(*, dispute: Dispute, version: int | None) -> None:
    """Remove a dispute registered in error."""
    dated_record_delete(dispute, version=version, date_field="reported_on", change="disputes")
