"""Writes of petitions, the 积案 ledger and 信访代理.

A petition's lifecycle is the transition table ``ALLOWED`` (step -> the steps it may move to); each move
writes the petition (version, audit), its work item and a timeline entry together. A petition that is, or
becomes, a county matter (level county or above, 上交 or 越级) records its petition event the same day
through the event services, so the 达标率 move in the same transaction.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import StaleVersion, save_next_version
from sanling.events.models import EventType, PetitionLevel
from sanling.events.services import event_create, event_update, new_ref
from sanling.organisations.selectors import petition_taker_for
from sanling.work.models import WorkItem, WorkKind
from sanling.work.selectors import rule_set_for
from sanling.work.services import UNCHANGED, check_step_date, last_step_on, work_item_open, work_item_step
from sanling.work.transitions import TransitionRefused

from .models import (
    AGENCY_ORDER,
    LEVEL_RANK,
    AgencyCase,
    AgencyStep,
    Backlog,
    Petition,
    PetitionStep,
)

P = PetitionStep
ALLOWED: dict[str, frozenset[str]] = {
    P.RECEIVED: frozenset({P.HANDLING}),
    P.HANDLING: frozenset({P.HANDLING, P.REPLIED}),  # handling -> handling: an extension
    P.REPLIED: frozenset({P.REVIEW, P.CONCLUDED}),
    P.REVIEW: frozenset({P.RE_REVIEW, P.CONCLUDED}),
    P.RE_REVIEW: frozenset({P.CONCLUDED}),
    P.CONCLUDED: frozenset(),
}
ACTION_LABELS = {
    "accept": pgettext_lazy("case move", "accepted"),
    "extend": pgettext_lazy("case move", "extended"),
    "reply": pgettext_lazy("case move", "replied to"),
    "review": pgettext_lazy("case move", "reviewed"),
    "conclude": pgettext_lazy("case move", "concluded"),
}


# The steps each action starts from (within ``ALLOWED``): handling → handling is an extension, never a
# second 受理 that would move the result's due date.
STARTS_FROM = {
    "accept": frozenset({P.RECEIVED}),
    "extend": frozenset({P.HANDLING}),
    "reply": frozenset({P.HANDLING}),
    "review": frozenset({P.REPLIED, P.REVIEW}),
    "conclude": frozenset({P.REPLIED, P.REVIEW, P.RE_REVIEW}),
}


def check_transition(current: str, new: str, action: str) -> None:
    if new not in ALLOWED[current] or current not in STARTS_FROM.get(action, ALLOWED):
        raise TransitionRefused(
            _("A petition that is “%(step)s” cannot be %(action)s.")
            % {
                "step": PetitionStep(current).label,
                "action": ACTION_LABELS.get(action, PetitionStep(new).label),
            }
        )


def _record_event(petition: Petition, on: datetime.date) -> None:
    """A county matter has its petition event (one per case, under the case's ref): recorded the day the
    case reached the county, or moved up with it when it goes higher."""
    if not petition.is_county_matter:
        return
    if petition.event_id is None:
        event = event_create(
            ref=petition.ref,
            type=EventType.PETITION,
            subject=petition.subject,
            occurred_on=on,
            title=petition.summary[:200],
            petition_level=petition.level,
            collective=petition.collective,
        )
        Petition.objects.filter(pk=petition.pk).update(event=event)
        petition.event = event
    elif LEVEL_RANK[petition.level] > LEVEL_RANK[petition.event.petition_level]:
        event_update(event=petition.event, version=None, petition_level=petition.level)


def petition_record_event(petition: Petition, on: datetime.date) -> None:
    """The petition event of a county matter, as every petition write records it (``_record_event``): for
    writers that save petitions themselves (the bundle importer)."""
    _record_event(petition, on)


def _new_petition(*, ref: str, subject, received_on, level, item: WorkItem | None, **fields) -> Petition:
    rule_set = rule_set_for(subject)
    petition = Petition(
        ref=ref,
        subject=subject,
        received_on=received_on,
        level=level,
        rule_set=rule_set if rule_set.pk else None,
        accept_due_on=rule_set.accept_due(received_on),
        **fields,
    )
    if item is not None:
        petition.case = item
    petition.full_clean(exclude=["case"] if item is None else None)
    return petition


@transaction.atomic
def petition_create(
    *,
    subject,
    received_on: datetime.date,
    level: str,
    ref: str = "",
    organisation=None,
    handler=None,
    **fields,
) -> Petition:
    """Register a petition (登记) at the level it reached, with the organisation that takes it (the one named
    or the place's 信访办), due for 受理告知 by the rule set's period. A county matter records its event."""
    ref = ref or new_ref("P")
    petition = _new_petition(
        ref=ref, subject=subject, received_on=received_on, level=level, item=None, **fields
    )
    petition.case = work_item_open(
        ref=ref,
        kind=WorkKind.PETITION,
        subject=subject,
        title=petition.summary,
        step=P.RECEIVED,
        opened_on=received_on,
        due_on=petition.accept_due_on,
        organisation=organisation or petition_taker_for(subject.region, level),
        handler=handler,
        details={"level": level, "channel": petition.channel},
    )
    petition.full_clean()
    petition.save()
    audit_change(Action.CREATE, after=petition)
    _record_event(petition, received_on)
    return petition


def petition_from_dispute(
    *, dispute, on: datetime.date, level: str, channel: str = "visit", **fields
) -> Petition:
    """The petition a dispute became (转信访): same ref, same case and timeline, received the day it turned."""
    item = dispute.case
    petition = _new_petition(
        ref=dispute.ref,
        subject=dispute.subject,
        received_on=on,
        level=level,
        item=item,
        channel=channel,
        summary=fields.pop("summary", dispute.summary),
        from_dispute=dispute,
        **fields,
    )
    petition.save()
    audit_change(Action.CREATE, after=petition)
    organisation = petition_taker_for(dispute.subject.region, level)
    work_item_step(
        item,
        action="receive",
        on=on,
        to_step=P.RECEIVED,
        due_on=petition.accept_due_on,
        organisation=organisation or item.organisation,
        handler=None,
        reopened=True,
        details={"level": level},
    )
    _record_event(petition, on)
    return petition


def _lock(petition: Petition, version: int | None) -> Petition:
    current = (
        Petition.objects.select_for_update(of=("self",))
        .select_related("case", "subject__region", "event")
        .get(pk=petition.pk)
    )
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    return current


def _save(current: Petition, before: dict, changes: dict) -> Petition:
    for name, value in changes.items():
        setattr(current, name, value)
    save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=current, verb="petition.step")
    return current


def _step(
    petition: Petition,
    *,
    version: int | None,
    action: str,
    to_step: str,
    on: datetime.date,
    note: str = "",
    changes: dict | None = None,
    due_on=UNCHANGED,
    closed: bool = False,
    details: dict | None = None,
) -> Petition:
    current = _lock(petition, version)
    check_transition(current.step, to_step, action)
    check_step_date(on, after=max(current.received_on, last_step_on(current.case) or current.received_on))
    before = snapshot(current)
    updated = _save(current, before, {"step": to_step, **(changes or {})})
    work_item_step(
        current.case,
        action=action,
        on=on,
        to_step=to_step,
        note=note,
        due_on=due_on,
        closed=closed,
        details=details,
    )
    return updated


@transaction.atomic
def petition_accept(
    *, petition: Petition, on: datetime.date, version: int | None = None, note: str = ""
) -> Petition:
    """受理 and 告知 the petitioner: the case is now handled, due for its result by the rule set."""
    rules = petition.rule_set or rule_set_for(petition.subject)
    result_due = rules.result_due(received_on=petition.received_on, accepted_on=on)
    return _step(
        petition,
        version=version,
        action="accept",
        to_step=P.HANDLING,
        on=on,
        note=note,
        changes={"accepted_on": on, "result_due_on": result_due},
        due_on=result_due,
    )


@transaction.atomic
def petition_extend(
    *, petition: Petition, on: datetime.date, note: str, version: int | None = None
) -> Petition:
    """延期: once, by the rule set's extension, with a reason."""
    if not (note or "").strip():
        raise ValidationError({"note": _("An extension needs a reason.")})
    current = Petition.objects.get(pk=petition.pk)
    rules = current.rule_set or rule_set_for(current.subject)
    if current.step == P.HANDLING and not rules.extension_amount:
        raise TransitionRefused(_("The county's deadline rules allow no extension."))
    if current.step == P.HANDLING and current.extended_on:
        raise TransitionRefused(
            _("This petition has been extended once already; it cannot be extended again.")
        )
    new_due = rules.extended(current.result_due_on) if current.result_due_on else None
    return _step(
        petition,
        version=version,
        action="extend",
        to_step=P.HANDLING,
        on=on,
        note=note,
        changes={"extended_on": on, "result_due_on": new_due},
        due_on=new_due,
        details={"from": str(current.result_due_on), "to": str(new_due)},
    )


@transaction.atomic
def petition_reply(
    *, petition: Petition, on: datetime.date, version: int | None = None, note: str = ""
) -> Petition:
    """答复 the result; the petitioner may ask for a review within the review period."""
    rules = petition.rule_set or rule_set_for(petition.subject)
    return _step(
        petition,
        version=version,
        action="reply",
        to_step=P.REPLIED,
        on=on,
        note=note,
        changes={"replied_on": on},
        due_on=rules.review_due(on),
    )


@transaction.atomic
def petition_review(
    *, petition: Petition, on: datetime.date, version: int | None = None, note: str = ""
) -> Petition:
    """复查 (after a reply) or 复核 (after a review), due within the review period."""
    current = Petition.objects.get(pk=petition.pk)
    to_step = P.RE_REVIEW if current.step == P.REVIEW else P.REVIEW
    rules = current.rule_set or rule_set_for(current.subject)
    return _step(
        petition,
        version=version,
        action="review",
        to_step=to_step,
        on=on,
        note=note,
        due_on=rules.review_due(on),
    )


@transaction.atomic
def petition_conclude(
    *,
    petition: Petition,
    on: datetime.date,
    version: int | None = None,
    satisfaction: str = "",
    note: str = "",
) -> Petition:
    """终结: the case closes (办结), with the petitioner's satisfaction from the 回访 if known."""
    return _step(
        petition,
        version=version,
        action="conclude",
        to_step=P.CONCLUDED,
        on=on,
        note=note,
        changes={"concluded_on": on, "satisfaction": satisfaction},
        due_on=None,
        closed=True,
        details={"satisfaction": satisfaction} if satisfaction else None,
    )


@transaction.atomic
def petition_escalate(
    *,
    petition: Petition,
    on: datetime.date,
    level: str,
    version: int | None = None,
    bypass: bool = False,
    organisation=None,
    note: str = "",
) -> Petition:
    """上交 (or 越级: the petitioner went past a level): the case now stands at ``level``. Reaching the county
    or above records the petition event on ``on``."""
    current = _lock(petition, version)
    if level not in PetitionLevel.values or LEVEL_RANK[level] <= LEVEL_RANK[current.level]:
        raise TransitionRefused(_("A petition can only be escalated to a higher level."))
    if current.step == P.CONCLUDED:
        raise TransitionRefused(_("A concluded petition cannot be escalated."))
    check_step_date(on, after=max(current.received_on, last_step_on(current.case) or current.received_on))
    before = snapshot(current)
    updated = _save(current, before, {"level": level, "bypass": current.bypass or bypass})
    work_item_step(
        current.case,
        action="escalate",
        on=on,
        to_step=current.step,
        note=note,
        organisation=organisation or petition_taker_for(current.subject.region, level) or UNCHANGED,
        details={"to_level": level, "bypass": bypass},
    )
    _record_event(updated, on)
    return updated


@transaction.atomic
def petition_update(*, petition: Petition, version: int | None, **changes) -> Petition:
    """Correct a petition's record (not its step: the moves above do that)."""
    editable = {
        "channel",
        "visit_mode",
        "summary",
        "petitioner_name",
        "petitioner_id_number",
        "petitioner_phone",
        "repeat",
        "collective",
        "people_count",
        "claim",
        "satisfaction",
    }
    unknown = set(changes) - editable
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = _lock(petition, version)
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value)
    save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=current)
    return current


def petition_delete(*, petition: Petition, version: int | None) -> None:
    """Remove a petition registered in error: only while nothing but its registration has happened (no
    step, no attachment, no 积案 or 信访代理, not turned from a dispute). Its petition event, if it recorded
    one, goes with it, so the 达标率 move back in the same transaction."""
    from sanling.events.services import event_delete

    with transaction.atomic():
        current = _lock(petition, version)
        item = current.case
        if (
            current.step != P.RECEIVED
            or current.from_dispute_id is not None
            or item.timeline.exclude(action="register").exists()
            or item.attachments.exists()
            or Backlog.objects.filter(item=item).exists()
            or AgencyCase.objects.filter(petition=current).exists()
            or item.disputes.exists()
        ):
            raise TransitionRefused(
                _("Only a petition on which nothing but its registration has happened can be deleted.")
            )
        event = current.event
        current.delete()
        audit_change(Action.DELETE, before=current)
        item.delete()
        if event is not None:
            event_delete(event=event, version=None)


# 积案


@transaction.atomic
def backlog_flag(
    *,
    item: WorkItem,
    on: datetime.date,
    responsible_organisation,
    responsible_person: str,
    leader: str,
    deadline: datetime.date,
    checklist: dict | None = None,
) -> Backlog:
    """Put an open case on the 积案 ledger with its responsibilities and deadline (化解时限)."""
    from sanling.dictionary.selectors import entry_choices

    if item.closed_on is not None:
        raise TransitionRefused(_("A closed case cannot be put on the backlog ledger."))
    if Backlog.objects.filter(item=item).exists():
        raise TransitionRefused(_("This case is already on the backlog ledger."))
    codes = [code for code, _label in entry_choices("backlog_checklist")]
    entry = Backlog(
        item=item,
        flagged_on=on,
        responsible_organisation=responsible_organisation,
        responsible_person=responsible_person,
        leader=leader,
        deadline=deadline,
        checklist={code: (checklist or {}).get(code, "") for code in codes},
    )
    entry.full_clean()
    entry.save()
    audit_change(Action.CREATE, after=entry)
    work_item_step(
        item,
        action="flag_backlog",
        on=on,
        to_step=item.step,
        backlog=True,
        details={"deadline": str(deadline)},
    )
    return entry


@transaction.atomic
def backlog_check(
    *, backlog: Backlog, code: str, done_on: datetime.date | None, version: int | None = None
) -> Backlog:
    """Tick (or untick) one item of the checklist."""
    current = Backlog.objects.select_for_update().get(pk=backlog.pk)
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    if code not in current.checklist:
        raise ValidationError({"code": _("“%(code)s” is not an item of this checklist.") % {"code": code}})
    before = snapshot(current)
    current.checklist = {**current.checklist, code: done_on.isoformat() if done_on else ""}
    save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=current)
    return current


# 信访代理


@transaction.atomic
def agency_create(
    *,
    subject,
    applied_on: datetime.date,
    summary: str,
    ref: str = "",
    organisation=None,
    petition=None,
    **fields,
) -> AgencyCase:
    """申请: a petitioner asks for an agent."""
    ref = ref or new_ref("A")
    item = work_item_open(
        ref=ref,
        kind=WorkKind.AGENCY,
        subject=subject,
        title=summary,
        step=AgencyStep.APPLIED,
        opened_on=applied_on,
        due_on=rule_set_for(subject).accept_due(applied_on),
        organisation=organisation
        or (petition.case.organisation if petition is not None else None)
        or petition_taker_for(subject.region, "town"),
    )
    case = AgencyCase(
        ref=ref,
        case=item,
        subject=subject,
        applied_on=applied_on,
        summary=summary,
        petition=petition,
        **fields,
    )
    case.full_clean()
    case.save()
    audit_change(Action.CREATE, after=case)
    return case


@transaction.atomic
def agency_advance(
    *,
    agency: AgencyCase,
    on: datetime.date,
    version: int | None = None,
    agent_name: str = "",
    satisfaction: str = "",
    higher_authority_required: bool | None = None,
    note: str = "",
) -> AgencyCase:
    """Move to the next step of 申请 → 确定代理人 → 登记备案 → 代理事项办理 → 结果反馈 → 事项终结. Naming the
    agent is the second step; concluding may record the satisfaction. A matter that must be decided by a
    higher authority marks its petition event 须由上级解决, so it no longer breaks 零上访."""
    current = (
        AgencyCase.objects.select_for_update(of=("self",))
        .select_related("case", "petition__event")
        .get(pk=agency.pk)
    )
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    index = AGENCY_ORDER.index(current.step)
    if index + 1 >= len(AGENCY_ORDER):
        raise TransitionRefused(_("This agency case is concluded."))
    to_step = AGENCY_ORDER[index + 1]
    if to_step == AgencyStep.AGENT_ASSIGNED and not (agent_name or "").strip():
        raise ValidationError({"agent_name": _("Name the agent (代理人).")})
    check_step_date(on, after=max(current.applied_on, last_step_on(current.case) or current.applied_on))
    before = snapshot(current)
    current.step = to_step
    if agent_name:
        current.agent_name = agent_name.strip()
    if higher_authority_required is not None:
        current.higher_authority_required = higher_authority_required
    closed = to_step == AgencyStep.CONCLUDED
    if closed:
        current.concluded_on = on
        current.satisfaction = satisfaction
    save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=current, verb="agency.step")
    rules = rule_set_for(current.subject)
    work_item_step(
        current.case,
        action=f"agency_{to_step}",
        on=on,
        to_step=to_step,
        note=note,
        closed=closed,
        due_on=None if closed else rules.result_due(received_on=current.applied_on, accepted_on=on),
    )
    event = current.petition.event if current.petition_id else None
    if event is not None and current.higher_authority_required and not event.higher_authority_required:
        event_update(event=event, version=None, higher_authority_required=True)
    return current
