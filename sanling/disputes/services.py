"""Writes of disputes; each keeps the 化解率 rollups right in the same transaction.

A dispute is a case worked up the 三级过滤网 (组 → 村 → 镇, then the county). Its lifecycle is the transition
table ``ALLOWED``: ``dispute_mediate``, ``dispute_escalate`` (上交 one level up: the case keeps its ref and
carries on), ``dispute_resolve``, ``dispute_fail`` (调解不成), ``dispute_to_petition`` (转信访) and
``dispute_to_litigation`` (转诉讼/仲裁) are its moves; an edit that changes the status must follow the same
table. Every move writes the dispute (rollups, version, audit), its work item and a timeline entry together.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sanling.assessment.records import dated_record_create, dated_record_delete, dated_record_update
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref
from sanling.organisations.selectors import mediator_for
from sanling.work.models import WorkItem, WorkKind
from sanling.work.selectors import rule_set_for
from sanling.work.services import (
    UNCHANGED,
    check_step_date,
    last_step_on,
    work_item_open,
    work_item_record,
    work_item_step,
)
from sanling.work.transitions import TransitionRefused

from .models import (
    CLOSED_STATUSES,
    DISPUTE_CASE_FIELDS,
    DISPUTE_FIELDS,
    DISPUTE_PLACE_FIELDS,
    LEVEL_ORDER,
    Dispute,
    DisputeStatus,
    ResolvedLevel,
)

S = DisputeStatus
# status -> the statuses it may move to. A closed case stays closed; 调解不成 may still go to 信访 or 诉讼.
ALLOWED: dict[str, frozenset[str]] = {
    S.OPEN: frozenset({S.MEDIATING, S.ESCALATED, S.RESOLVED, S.FAILED, S.PETITIONED, S.LITIGATED}),
    S.MEDIATING: frozenset({S.ESCALATED, S.RESOLVED, S.FAILED, S.PETITIONED, S.LITIGATED}),
    S.ESCALATED: frozenset({S.MEDIATING, S.ESCALATED, S.RESOLVED, S.FAILED, S.PETITIONED, S.LITIGATED}),
    S.FAILED: frozenset({S.PETITIONED, S.LITIGATED}),
    S.RESOLVED: frozenset(),
    S.PETITIONED: frozenset(),
    S.LITIGATED: frozenset(),
}
ACTION_LABELS = {
    S.MEDIATING: pgettext_lazy("case move", "mediated"),
    S.ESCALATED: pgettext_lazy("case move", "escalated"),
    S.RESOLVED: pgettext_lazy("case move", "resolved"),
    S.FAILED: pgettext_lazy("case move", "closed as failed"),
    S.PETITIONED: pgettext_lazy("case move", "turned into a petition"),
    S.LITIGATED: pgettext_lazy("case move", "turned to litigation"),
    S.OPEN: pgettext_lazy("case move", "reopened"),
}


TO_PETITION_ONLY = gettext_lazy(
    "Turn a dispute into a petition with the “turn into a petition” step of its case."
)


def check_transition(current: str, new: str) -> None:
    """Refuse a move the table does not allow, with a Chinese message."""
    if new != current and new not in ALLOWED[current]:
        raise TransitionRefused(
            _("A dispute that is “%(status)s” cannot be %(action)s.")
            % {"status": DisputeStatus(current).label, "action": ACTION_LABELS[new]}
        )


def _closed_on(status: str, resolved_on, reported_on):
    if status not in CLOSED_STATUSES:
        return None
    return resolved_on or reported_on


def _with_level(fields: dict) -> dict:
    """A resolved dispute has reached at least the level it was resolved at (an imported ledger row names
    only the latter)."""
    level, resolved = fields.get("level") or ResolvedLevel.GROUP, fields.get("resolved_level")
    if resolved and LEVEL_ORDER.index(resolved) > LEVEL_ORDER.index(level):
        level = resolved
    return {**fields, "level": level}


@transaction.atomic
def dispute_create(*, ref: str = "", organisation=None, handler=None, **fields) -> Dispute:
    """Register a dispute against a subject at a level (组 by default) and open its case with the
    organisation that works that level (the one named, or the place's mediator). Its category is one of
    the county's list (数据字典). A dispute registered already closed (an imported ledger row) is a closed case."""
    check_choice(EntryType.DISPUTE_CATEGORY, fields.get("category", ""), field="category")
    if fields.get("status") == S.PETITIONED:  # only 转信访 opens the petition case (and records its event)
        raise TransitionRefused(TO_PETITION_ONLY)
    dispute = Dispute(ref=ref or new_ref("D"), **_with_level(fields))
    dispute.full_clean()
    subject = dispute.subject
    organisation = organisation or mediator_for(subject.region, dispute.level)
    closed_on = _closed_on(dispute.status, dispute.resolved_on, dispute.reported_on)
    item = work_item_open(
        ref=dispute.ref,
        kind=WorkKind.DISPUTE,
        subject=subject,
        title=dispute.summary,
        step=dispute.status,
        opened_on=dispute.reported_on,
        due_on=None if closed_on else rule_set_for(subject).mediation_due(dispute.reported_on),
        organisation=organisation,
        handler=handler,
        closed_on=closed_on,
        details={"level": dispute.level},
    )
    dispute.case = item
    return dated_record_create(dispute, date_field="reported_on", change="disputes")


def dispute_update(*, dispute: Dispute, version: int | None, **changes) -> Dispute:
    """Change a dispute's record (its summary, category, dates, or its status along ``ALLOWED``); a stale
    ``version`` changes nothing. A category stored before the list existed (or since disabled) may stay;
    a new one must be in the list."""
    if "category" in changes:
        check_choice(
            EntryType.DISPUTE_CATEGORY, changes["category"], field="category", stored=dispute.category
        )
    with transaction.atomic():
        current = Dispute.objects.select_for_update().get(pk=dispute.pk)
        if "status" in changes:
            check_transition(current.status, changes["status"])
            if changes["status"] == S.PETITIONED and current.status != S.PETITIONED:
                # An edit cannot open the petition case (nor record its event): that is the 转信访 move's work.
                raise TransitionRefused(TO_PETITION_ONLY)
        if "resolved_level" in changes and "level" not in changes:
            changes = {**changes, "level": _with_level({**changes, "level": current.level})["level"]}
        updated = dated_record_update(
            current,
            version=version,
            changes=changes,
            editable=(*DISPUTE_FIELDS, *DISPUTE_CASE_FIELDS, *DISPUTE_PLACE_FIELDS),
            date_field="reported_on",
            change="disputes",
        )
        if updated.case_id and updated.status != current.status:
            item = updated.case
            on = updated.resolved_on or max(updated.reported_on, last_step_on(item) or updated.reported_on)
            closed_on = _closed_on(updated.status, updated.resolved_on, updated.reported_on)
            work_item_step(
                item,
                action="edit",
                on=on,
                to_step=updated.status,
                closed=closed_on is not None,
                reopened=closed_on is None,
                due_on=None if closed_on else item.due_on,
            )
        return updated


def dispute_delete(*, dispute: Dispute, version: int | None) -> None:
    """Remove a dispute registered in error (its case and timeline go with it)."""
    with transaction.atomic():
        case_id = dispute.case_id
        dated_record_delete(dispute, version=version, date_field="reported_on", change="disputes")
        if case_id and not Dispute.objects.filter(case_id=case_id).exists():
            item = WorkItem.objects.get(pk=case_id)
            if not item.petitions.exists():
                item.delete()


# The moves of the lifecycle. Each locks the dispute, checks the move and its date, then writes.


def _move(
    dispute: Dispute,
    *,
    version: int | None,
    new_status: str,
    on: datetime.date,
    action: str,
    note: str = "",
    changes: dict | None = None,
    organisation=UNCHANGED,
    handler=UNCHANGED,
    due_on=UNCHANGED,
    kind=UNCHANGED,
    details: dict | None = None,
) -> Dispute:
    current = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("case", "subject__region")
        .get(pk=dispute.pk)
    )
    if version is not None and current.version != version:
        from sanling.core.concurrency import StaleVersion

        raise StaleVersion(current.version)
    check_transition(current.status, new_status)
    if current.status == new_status and new_status != S.ESCALATED:
        raise TransitionRefused(
            _("The dispute is already “%(status)s”.") % {"status": DisputeStatus(current.status).label}
        )
    check_step_date(on, after=max(current.reported_on, last_step_on(current.case) or current.reported_on))
    updated = dated_record_update(
        current,
        version=None,
        changes={"status": new_status, **(changes or {})},
        editable=(*DISPUTE_FIELDS, *DISPUTE_CASE_FIELDS, *DISPUTE_PLACE_FIELDS),
        date_field="reported_on",
        change="disputes",
    )
    closed = new_status in CLOSED_STATUSES
    work_item_step(
        current.case,
        action=action,
        on=on,
        to_step=new_status,
        note=note,
        organisation=organisation,
        handler=handler,
        due_on=None if closed and due_on is UNCHANGED else due_on,
        kind=kind,
        closed=closed,
        details=details,
    )
    updated.case = current.case
    return updated


@transaction.atomic
def dispute_mediate(
    *,
    dispute: Dispute,
    on: datetime.date,
    version: int | None = None,
    organisation=UNCHANGED,
    handler=UNCHANGED,
    diagnosis: str = "",
    note: str = "",
) -> Dispute:
    """Start mediating at the dispute's level (调解中), optionally tagged with a 四诊 stage."""
    changes = {"diagnosis": diagnosis} if diagnosis else {}
    return _move(
        dispute,
        version=version,
        new_status=S.MEDIATING,
        on=on,
        action="mediate",
        note=note,
        changes=changes,
        organisation=organisation,
        handler=handler,
        details={"level": dispute.level, **({"diagnosis": diagnosis} if diagnosis else {})},
    )


@transaction.atomic
def dispute_escalate(
    *,
    dispute: Dispute,
    on: datetime.date,
    to_level: str,
    version: int | None = None,
    organisation=None,
    handler=None,
    note: str = "",
) -> Dispute:
    """上交: hand the case one level up, to that level's mediator (or ``organisation``). Skipping a level
    needs a reason in ``note``. The case stays open under its ref and waits for mediation there."""
    current_level = Dispute.objects.values_list("level", flat=True).get(pk=dispute.pk)
    if to_level not in LEVEL_ORDER:
        raise ValidationError({"to_level": _("Choose the level to escalate to: 组, 村, 镇 or 县.")})
    step = LEVEL_ORDER.index(to_level) - LEVEL_ORDER.index(current_level)
    if step <= 0:
        raise TransitionRefused(
            _("A dispute at “%(level)s” level can only be escalated to a higher level.")
            % {"level": ResolvedLevel(current_level).label}
        )
    if step > 1 and not note.strip():
        raise ValidationError(
            {"note": _("Escalating past a level (越级上交) needs a reason: say why in the note.")}
        )
    subject = dispute.subject
    organisation = organisation or mediator_for(subject.region, to_level)
    return _move(
        dispute,
        version=version,
        new_status=S.ESCALATED,
        on=on,
        action="escalate",
        note=note,
        changes={"level": to_level, "diagnosis": ""},  # the 四诊 tag was the lower level's
        organisation=organisation,
        handler=handler,
        due_on=rule_set_for(subject).mediation_due(on),
        details={"from_level": current_level, "to_level": to_level},
    )


@transaction.atomic
def dispute_resolve(
    *,
    dispute: Dispute,
    on: datetime.date,
    method: str,
    level: str = "",
    version: int | None = None,
    agreement: str = "",
    note: str = "",
) -> Dispute:
    """化解: settled at ``level`` (by default the level it is at) by a method of mediation."""
    level = level or Dispute.objects.values_list("level", flat=True).get(pk=dispute.pk)
    if not method:
        raise ValidationError({"method": _("Say how the dispute was resolved (the mediation method).")})
    changes = {"resolved_level": level, "resolved_on": on, "method": method}
    if agreement:
        changes["agreement"] = agreement
    return _move(
        dispute,
        version=version,
        new_status=S.RESOLVED,
        on=on,
        action="resolve",
        note=note,
        changes=changes,
        details={"level": level, "method": method},
    )


@transaction.atomic
def dispute_fail(
    *, dispute: Dispute, on: datetime.date, version: int | None = None, note: str = ""
) -> Dispute:
    """调解不成: the case closes; the parties may still petition or go to court."""
    return _move(dispute, version=version, new_status=S.FAILED, on=on, action="fail", note=note)


@transaction.atomic
def dispute_to_litigation(
    *, dispute: Dispute, on: datetime.date, version: int | None = None, note: str = ""
) -> Dispute:
    """转诉讼/仲裁 (诉讼断后): the case leaves mediation for a court or an arbitration commission."""
    return _move(dispute, version=version, new_status=S.LITIGATED, on=on, action="to_litigation", note=note)


@transaction.atomic
def dispute_to_petition(
    *,
    dispute: Dispute,
    on: datetime.date,
    petition_level: str,
    version: int | None = None,
    note: str = "",
    **petition_fields,
):
    """转信访: the dispute closes as a dispute and its case carries on as a petition under the same ref (and
    the same timeline). A petition at county level or above records its petition event the same day.
    Returns the petition."""
    from sanling.petitions.services import petition_from_dispute

    updated = _move(
        dispute,
        version=version,
        new_status=S.PETITIONED,
        on=on,
        action="to_petition",
        note=note,
        kind=WorkKind.PETITION,
        details={"petition_level": petition_level},
    )
    return petition_from_dispute(dispute=updated, on=on, level=petition_level, **petition_fields)


@transaction.atomic
def dispute_follow_up(
    *, dispute: Dispute, on: datetime.date, satisfaction: str, version: int | None = None, note: str = ""
) -> Dispute:
    """回访: a visit after the resolution, with the parties' satisfaction."""
    current = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if current.status != S.RESOLVED:
        raise TransitionRefused(_("Only a resolved dispute gets a follow-up visit."))
    updated = dated_record_update(
        current,
        version=version,
        changes={"follow_up_on": on, "satisfaction": satisfaction},
        editable=DISPUTE_CASE_FIELDS,
        date_field="reported_on",
        change="disputes",
    )
    if updated.case_id:
        work_item_record(
            updated.case, action="follow_up", on=on, note=note, details={"satisfaction": satisfaction}
        )
    return updated
