"""Writes of disputes; each keeps the 化解率 rollups right in the same transaction."""

from sanling.assessment.records import dated_record_create, dated_record_delete, dated_record_update
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref

from .models import DISPUTE_FIELDS, Dispute


def dispute_create(*, ref: str = "", **fields) -> Dispute:
    """Register a dispute against a subject; its category is one of the county's list (数据字典)."""
    check_choice(EntryType.DISPUTE_CATEGORY, fields.get("category", ""), field="category")
    return dated_record_create(
        Dispute(ref=ref or new_ref("D"), **fields), date_field="reported_on", change="disputes"
    )


def dispute_update(*, dispute: Dispute, version: int | None, **changes) -> Dispute:
    """Change a dispute (mediate, resolve, escalate…); a stale ``version`` changes nothing. A category
    stored before the list existed (or since disabled) may stay; a new one must be in the list."""
    if "category" in changes:
        check_choice(
            EntryType.DISPUTE_CATEGORY, changes["category"], field="category", stored=dispute.category
        )
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
