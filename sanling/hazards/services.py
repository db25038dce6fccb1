"""Writes of inspections and hazards: 排查 → 整改 → 复查.

A hazard's lifecycle is the transition table ``MOVES`` (action → from status → to status):

- ``rectify`` (整改): a rectification measure recorded while 整改中, with photos; the hazard stays 整改中;
- ``request_recheck`` (申请复查): 整改中 → 申请复查, with at least one photo of the fix;
- ``recheck_pass`` (复查通过): 申请复查 → closed, with photos; the case closes;
- ``recheck_fail`` (复查不通过): 申请复查 → 整改中, the deadline kept or extended with a reason.

A closed hazard stays closed. Every move is dated (not before the hazard was found, its inspection, or the
previous step; never in the future) and written with its case's timeline entry, the audit entry and its photos
together, or not at all. The 复查 is not done by whoever rectified the hazard or asked for the re-check.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sanling.audit.context import current_actor
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import StaleVersion
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref
from sanling.organisations.models import Organisation, OrganisationKind
from sanling.organisations.selectors import organisation_at
from sanling.work.attachments import attachment_add
from sanling.work.models import WorkKind
from sanling.work.services import check_step_date, last_step_on, work_item_open, work_item_step
from sanling.work.transitions import TransitionRefused

from .models import (
    ChecklistItem,
    Hazard,
    HazardDeadlineRule,
    HazardLevel,
    HazardSource,
    HazardStatus,
    Inspection,
    InspectionResult,
)

S = HazardStatus
# The defaults when a county has not set its own (ours, not the seeds'): 一般 30 days, 重大 90 days.
DEFAULT_DAYS = {HazardLevel.GENERAL: 30, HazardLevel.MAJOR: 90}

# action -> (from status, to status)
MOVES: dict[str, tuple[str, str]] = {
    "rectify": (S.RECTIFYING, S.RECTIFYING),
    "request_recheck": (S.RECTIFYING, S.RECHECK_REQUESTED),
    "recheck_pass": (S.RECHECK_REQUESTED, S.CLOSED),
    "recheck_fail": (S.RECHECK_REQUESTED, S.RECTIFYING),
}
# status -> the statuses it may move to
ALLOWED: dict[str, frozenset[str]] = {
    S.RECTIFYING: frozenset({S.RECTIFYING, S.RECHECK_REQUESTED}),
    S.RECHECK_REQUESTED: frozenset({S.CLOSED, S.RECTIFYING}),
    S.CLOSED: frozenset(),
}
ACTION_LABELS = {
    "rectify": pgettext_lazy("hazard move", "record a rectification"),
    "request_recheck": pgettext_lazy("hazard move", "sent for re-check"),
    "recheck_pass": pgettext_lazy("hazard move", "passed at re-check"),
    "recheck_fail": pgettext_lazy("hazard move", "failed at re-check"),
}
# The timeline actions whose actor may not do the 复查.
RECTIFIER_ACTIONS = ("rectify", "request_recheck")


def _user():
    user = current_actor().user
    return user if getattr(user, "is_authenticated", False) else None


def deadline_days(level: str) -> int:
    """Days a hazard of ``level`` has to be rectified: the county's rule, else our default."""
    rule = HazardDeadlineRule.objects.filter(level=level).first()
    return rule.days if rule else DEFAULT_DAYS.get(level, 30)


def deadline_for(level: str, found_on: datetime.date) -> datetime.date:
    return found_on + datetime.timedelta(days=deadline_days(level))


def default_owner(subject) -> Organisation | None:
    """Who follows a hazard up by default: the 综治中心 of the subject's town."""
    return organisation_at(subject.region.path, "town", (OrganisationKind.COMPREHENSIVE_CENTRE,))


def check_move(action: str, current: str) -> str:
    """The status ``action`` leads to from ``current``, or a refusal in Chinese."""
    start, end = MOVES[action]
    if current != start or end not in ALLOWED[current]:
        raise TransitionRefused(
            _("A hazard that is “%(status)s” cannot be %(action)s.")
            % {"status": HazardStatus(current).label, "action": ACTION_LABELS[action]}
        )
    return end


def check_grid(grid, subject) -> None:
    """A record's grid is a grid (or 楼宇) on the subject's branch of the tree."""
    if grid is None:
        return
    path = subject.region.path
    if grid.level not in ("grid", "building") or not (
        grid.path.startswith(path) or path.startswith(grid.path)
    ):
        raise ValidationError({"grid": _("Choose a grid of the subject's village.")})


# Inspections


@transaction.atomic
def inspection_create(
    *,
    subject,
    inspected_on: datetime.date,
    inspection_type: str,
    by_kind: str = "town",
    organisation=None,
    department=None,
    inspector=None,
    grid=None,
    note: str = "",
    results: Iterable[dict] = (),
    ref: str = "",
) -> Inspection:
    """Record an inspection of ``subject`` with how each checklist item went. ``results`` are dicts with
    ``item`` (a ChecklistItem, or None with ``text``), ``passed`` and an optional ``note``."""
    if not inspection_type:
        raise ValidationError({"inspection_type": _("Choose the type of inspection.")})
    check_choice(EntryType.INSPECTION_TYPE, inspection_type, field="inspection_type")
    inspection = Inspection(
        ref=ref or new_ref("I"),
        subject=subject,
        grid=grid,
        inspected_on=inspected_on,
        inspection_type=inspection_type,
        by_kind=by_kind,
        organisation=organisation,
        department=department,
        inspector=inspector if inspector is not None else _user(),
        note=note,
    )
    inspection.full_clean()
    check_grid(grid, subject)
    inspection.save()
    rows = []
    for index, result in enumerate(results):
        item = result.get("item")
        if item is not None and not isinstance(item, ChecklistItem):
            item = ChecklistItem.objects.filter(pk=item).first() if str(item).isdigit() else None
            if item is None:
                raise ValidationError(
                    {"results": _("Row %(row)d: there is no such checklist item.") % {"row": index + 1}}
                )
        if item is not None and item.inspection_type != inspection_type:
            raise ValidationError(
                {
                    "results": _(
                        "Row %(row)d: “%(item)s” is an item of the %(item_type)s checklist, not of %(type)s."
                    )
                    % {
                        "row": index + 1,
                        "item": item.text,
                        "item_type": item.inspection_type,
                        "type": inspection_type,
                    }
                }
            )
        rows.append(
            InspectionResult(
                inspection=inspection,
                item=item,
                text=(item.text if item is not None else result.get("text", ""))[:200],
                passed=bool(result.get("passed", True)),
                note=(result.get("note") or "")[:500],
            )
        )
    InspectionResult.objects.bulk_create(rows)
    audit_change(Action.CREATE, after=inspection)
    return inspection


# Hazards


def _check_found_on(found_on, inspection) -> None:
    check_step_date(found_on, after=inspection.inspected_on if inspection else None, field="found_on")


def _add_photos(item, photos, entry=None) -> list:
    return [attachment_add(item=item, upload=photo, entry=entry) for photo in photos or ()]


def _owner_fields(owner, subject) -> dict:
    """``owner`` may be an organisation, a user, or None (the subject's town's 综治中心)."""
    from django.contrib.auth import get_user_model

    if owner is None:
        return {"owner_organisation": default_owner(subject)}
    if isinstance(owner, Organisation):
        return {"owner_organisation": owner}
    if isinstance(owner, get_user_model()):
        organisation = owner.organisations.filter(active=True).order_by("pk").first()
        return {"owner_user": owner, "owner_organisation": organisation or default_owner(subject)}
    raise ValidationError({"owner": _("The owner is an organisation or a user.")})


@transaction.atomic
def hazard_register(
    *,
    subject,
    found_on: datetime.date,
    category: str,
    level: str,
    description: str,
    grid=None,
    inspection=None,
    source: str = HazardSource.INSPECTION,
    owner=None,
    owner_person: str = "",
    photos=(),
    ref: str = "",
    due_on: datetime.date | None = None,
    status: str = S.RECTIFYING,
    rectified_on: datetime.date | None = None,
) -> Hazard:
    """Register a hazard and open its case (整改中, due by its level's rule unless ``due_on`` is given).
    A hazard registered already closed (an imported ledger row) is a closed case."""
    check_choice(EntryType.HAZARD_CATEGORY, category, field="category")
    if not category:
        raise ValidationError({"category": _("Choose the category of the hazard.")})
    if level not in HazardLevel.values:
        raise ValidationError({"level": _("Choose the level: 一般 or 重大.")})
    if source not in HazardSource.values:
        raise ValidationError({"source": _("Unknown source of a hazard.")})
    _check_found_on(found_on, inspection)
    if status == S.CLOSED:
        check_step_date(rectified_on, after=found_on, field="rectified_on")
    else:
        rectified_on = None
    owners = _owner_fields(owner, subject)
    hazard = Hazard(
        ref=ref or new_ref("H"),
        subject=subject,
        grid=grid,
        inspection=inspection,
        category=category,
        level=level,
        description=description,
        found_on=found_on,
        source=source,
        owner_person=owner_person,
        status=status,
        rectified_on=rectified_on,
        **owners,
    )
    hazard.full_clean(exclude=["case"])
    check_grid(grid, subject)
    if due_on is not None and due_on < found_on:
        raise ValidationError({"due_on": _("The deadline cannot be before the hazard was found.")})
    item = work_item_open(
        ref=hazard.ref,
        kind=WorkKind.HAZARD,
        subject=subject,
        title=description,
        step=status,
        opened_on=found_on,
        due_on=None if status == S.CLOSED else (due_on or deadline_for(level, found_on)),
        organisation=owners.get("owner_organisation"),
        handler=owners.get("owner_user"),
        closed_on=rectified_on,
        details={"hazard_level": level},
    )
    hazard.case = item
    hazard.save()
    audit_change(Action.CREATE, after=hazard)
    _add_photos(item, photos, entry=item.timeline.order_by("pk").first())
    return hazard


def hazard_report(
    *,
    subject,
    found_on,
    category,
    level,
    description,
    grid=None,
    inspection=None,
    source="inspection",
    owner=None,
    photos=(),
) -> Hazard:
    """Open a hazard from a finding (an inspection's failed item, a patrol, a meeting, a visit): 整改中, its
    owner (an organisation or a user; by default the town's 综治中心) and deadline by level, photos attached.
    Bad input raises a ValidationError in Chinese and writes nothing."""
    return hazard_register(
        subject=subject,
        found_on=found_on,
        category=category,
        level=level,
        description=description,
        grid=grid,
        inspection=inspection,
        source=source,
        owner=owner,
        photos=photos,
    )


def _rectifiers(hazard: Hazard) -> set[int]:
    return set(
        hazard.case.timeline.filter(action__in=RECTIFIER_ACTIONS, actor__isnull=False).values_list(
            "actor_id", flat=True
        )
    )


def _move(
    hazard: Hazard,
    *,
    action: str,
    on: datetime.date,
    version: int | None,
    note: str = "",
    photos=(),
    due_on=None,
    details: dict | None = None,
) -> Hazard:
    current = (
        Hazard.objects.select_for_update(of=("self",)).select_related("case", "inspection").get(pk=hazard.pk)
    )
    if version is not None and current.version != version:
        raise StaleVersion(current.version)
    new_status = check_move(action, current.status)
    after = max(
        filter(
            None,
            (
                current.found_on,
                current.inspection.inspected_on if current.inspection else None,
                last_step_on(current.case),
            ),
        )
    )
    check_step_date(on, after=after)
    if action in ("recheck_pass", "recheck_fail"):
        user = _user()
        if user is not None and user.pk in _rectifiers(current):
            raise ValidationError(
                {
                    "on": _(
                        "The re-check is done by someone other than who rectified the hazard or asked for the re-check."
                    )
                }
            )
    before = snapshot(current)
    current.status = new_status
    if new_status == S.CLOSED:
        current.rectified_on = on
    current.version += 1
    current.full_clean()
    current.save()
    audit_change(Action.UPDATE, before=before, after=current, verb=f"hazard.{action}")
    closed = new_status == S.CLOSED
    from sanling.work.services import UNCHANGED

    entry = work_item_step(
        current.case,
        action=action,
        on=on,
        to_step=new_status,
        note=note,
        closed=closed,
        due_on=None if closed else (due_on if due_on is not None else UNCHANGED),
        details=details,
    )
    _add_photos(current.case, photos, entry=entry)
    return current


@transaction.atomic
def hazard_rectify(
    *, hazard: Hazard, on: datetime.date, note: str, photos=(), version: int | None = None
) -> Hazard:
    """整改: record what was done to rectify the hazard (it stays 整改中)."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Say what was done to rectify the hazard.")})
    return _move(hazard, action="rectify", on=on, version=version, note=note, photos=photos)


def _pending_photos(hazard: Hazard) -> list:
    """Photos attached to the case (not to a step) since its last step: sent ahead of the request (the API's
    ``/cases/{ref}/attachments/``)."""
    case = Hazard.objects.select_related("case").get(pk=hazard.pk).case
    last = case.timeline.order_by("-at", "-pk").values_list("at", flat=True).first()
    pending = case.attachments.filter(entry__isnull=True, content_type__startswith="image/")
    if last is not None:
        pending = pending.filter(uploaded_at__gte=last)
    return list(pending)


@transaction.atomic
def hazard_request_recheck(
    *, hazard: Hazard, on: datetime.date, photos=(), note: str = "", version: int | None = None
) -> Hazard:
    """申请复查: the fix is done; at least one photo of it goes with the request (or was attached to the case
    since its last step)."""
    pending = [] if photos else _pending_photos(hazard)
    if not photos and not pending:
        raise ValidationError({"photos": _("Attach at least one photo of the fix to ask for a re-check.")})
    moved = _move(hazard, action="request_recheck", on=on, version=version, note=note, photos=photos)
    if pending:
        entry = moved.case.timeline.order_by("-pk").first()
        for attachment in pending:
            attachment.entry = entry
            attachment.save(update_fields=["entry"])
    return moved


@transaction.atomic
def hazard_recheck(
    *,
    hazard: Hazard,
    on: datetime.date,
    passed: bool,
    photos=(),
    note: str = "",
    due_on: datetime.date | None = None,
    version: int | None = None,
) -> Hazard:
    """复查: passed closes the hazard; not passed sends it back to 整改, its deadline kept, or moved later
    (``due_on``) with a reason in ``note``."""
    if passed:
        # 复查通过 (closed, with photos): a photo of the fixed place, sent now or attached since the request.
        pending = [] if photos else _pending_photos(hazard)
        if not photos and not pending:
            raise ValidationError(
                {"photos": _("Attach at least one photo of the re-checked place to close it.")}
            )
        moved = _move(hazard, action="recheck_pass", on=on, version=version, note=note, photos=photos)
        if pending:
            entry = moved.case.timeline.order_by("-pk").first()
            for attachment in pending:
                attachment.entry = entry
                attachment.save(update_fields=["entry"])
        return moved
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the re-check failed.")})
    details = {}
    if due_on is not None:
        current_due = Hazard.objects.select_related("case").get(pk=hazard.pk).case.due_on
        if due_on < on:
            raise ValidationError({"due_on": _("The new deadline cannot be before the re-check.")})
        if current_due is not None and due_on < current_due:
            raise ValidationError({"due_on": _("An extended deadline is later than the one it replaces.")})
        details = {
            "due_on": due_on.isoformat(),
            "previous_due_on": current_due.isoformat() if current_due else "",
        }
    return _move(
        hazard,
        action="recheck_fail",
        on=on,
        version=version,
        note=note,
        photos=photos,
        due_on=due_on,
        details=details,
    )


@transaction.atomic
def hazard_import_update(
    *,
    hazard: Hazard,
    subject,
    found_on: datetime.date,
    category: str,
    level: str,
    description: str,
    grid=None,
    source: str = HazardSource.INSPECTION,
    owner_person: str = "",
    owner=None,
    due_on: datetime.date | None = None,
    status: str = S.RECTIFYING,
    rectified_on: datetime.date | None = None,
) -> Hazard:
    """A ``hazards.csv`` row changing a stored hazard: its record, owner and deadline; an open hazard the
    file says passed its 复查 is closed on that day (a step of its timeline). A closed one stays closed."""
    from django.utils import timezone

    current = Hazard.objects.select_for_update(of=("self",)).select_related("case").get(pk=hazard.pk)
    if current.status == S.CLOSED and status != S.CLOSED:
        raise TransitionRefused(_("A closed hazard stays closed."))
    before = snapshot(current)
    check_grid(grid, subject)
    current.subject = subject
    current.found_on = found_on
    current.category = category
    current.level = level
    current.description = description
    current.grid = grid
    current.source = source
    current.owner_person = owner_person
    if owner is not None:
        current.owner_organisation = owner
    moved = status != current.status
    current.status = status
    current.rectified_on = rectified_on if status == S.CLOSED else None
    current.version += 1
    current.full_clean()
    current.save()
    audit_change(Action.UPDATE, before=before, after=current, verb="hazard.imported")
    item = current.case
    changes = {"title": description[:200]}
    if owner is not None:
        changes["organisation"] = owner
    if status != S.CLOSED and due_on is not None:
        changes["due_on"] = due_on
    if moved:
        on = rectified_on if status == S.CLOSED else timezone.localdate()
        work_item_step(
            item,
            action="edit",
            on=on,
            to_step=status,
            closed=status == S.CLOSED,
            due_on=None if status == S.CLOSED else changes.pop("due_on", item.due_on),
            **{k: v for k, v in changes.items() if k != "due_on"},
        )
    else:
        for name, value in changes.items():
            setattr(item, name, value)
        from sanling.core.concurrency import save_next_version

        save_next_version(item)
    return current


# Configuration a county edits: the checklists and the deadlines by level.


@transaction.atomic
def checklist_item_save(
    *,
    item: ChecklistItem | None = None,
    inspection_type: str,
    text: str,
    order: int = 0,
    enabled: bool = True,
) -> ChecklistItem:
    """Add a checklist item, or change one (an item no longer used is disabled, so past results keep it)."""
    check_choice(
        EntryType.INSPECTION_TYPE,
        inspection_type,
        field="inspection_type",
        stored=item and item.inspection_type,
    )
    before = snapshot(item) if item is not None else None
    item = item or ChecklistItem()
    item.inspection_type, item.text, item.order, item.enabled = inspection_type, text, order, enabled
    item.full_clean()
    item.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=item)
    return item


@transaction.atomic
def deadline_rule_save(*, level: str, days: int) -> HazardDeadlineRule:
    """Set the days a hazard of ``level`` has to be rectified."""
    rule = HazardDeadlineRule.objects.filter(level=level).first()
    before = snapshot(rule) if rule is not None else None
    rule = rule or HazardDeadlineRule(level=level)
    rule.days = days
    rule.full_clean()
    rule.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=rule)
    return rule
