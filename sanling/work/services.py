"""Writes of work items. A domain service (a dispute's escalation, a petition's reply) opens its item with
``work_item_open`` and moves it with ``work_item_step`` inside its own transaction, so the item, its
timeline entry and the audit entry are written together or not at all."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.audit.context import current_actor
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version

from .models import TimelineEntry, WorkItem

UNCHANGED = object()  # "leave this field as it is" (None is a value: no handler, no due date)


def _actor_user():
    user = current_actor().user
    return user if getattr(user, "is_authenticated", False) else None


def acting_organisation(user, before, after):
    """Which organisation a step is filed under: the one of the two holders (before and after the step) the
    acting user belongs to — the village mediator who hands a case up acts for the village, the town centre that
    takes it up acts for the town — else the one that held the case when the step was taken."""
    holders = [organisation for organisation in (before, after) if organisation is not None]
    if user is not None:
        for organisation in holders:
            if organisation.head_id == user.pk or organisation.members.filter(pk=user.pk).exists():
                return organisation
    return holders[0] if holders else None


def check_step_date(on: datetime.date | None, *, after: datetime.date | None, field: str = "on") -> None:
    """A step needs a date, not in the future and not before the step it follows."""
    if on is None:
        raise ValidationError({field: _("Give the date of this step.")})
    if on > timezone.localdate():
        raise ValidationError({field: _("The date of a step cannot be in the future.")})
    if after is not None and on < after:
        raise ValidationError(
            {field: _("This step cannot be dated before the previous one (%(date)s).") % {"date": after}}
        )


@transaction.atomic
def work_item_open(
    *,
    ref: str,
    kind: str,
    subject,
    title: str,
    step: str,
    opened_on: datetime.date,
    due_on: datetime.date | None = None,
    organisation=None,
    handler=None,
    closed_on: datetime.date | None = None,
    action: str = "register",
    note: str = "",
    details: dict | None = None,
) -> WorkItem:
    """Open the item of a new case, with the first entry of its timeline."""
    item = WorkItem(
        ref=ref,
        kind=kind,
        subject=subject,
        title=title[:200],
        step=step,
        opened_on=opened_on,
        due_on=due_on,
        organisation=organisation,
        handler=handler,
        closed_on=closed_on,
    )
    item.full_clean()
    item.save()
    TimelineEntry.objects.create(
        item=item,
        action=action,
        on=opened_on,
        actor=_actor_user(),
        organisation=organisation,
        to_step=step,
        note=note,
        details=details or {},
    )
    audit_change(Action.CREATE, after=item)
    return item


def last_step_on(item: WorkItem) -> datetime.date | None:
    return item.timeline.order_by("-on").values_list("on", flat=True).first()


@transaction.atomic
def work_item_step(
    item: WorkItem,
    *,
    action: str,
    on: datetime.date,
    to_step: str,
    note: str = "",
    version: int | None = None,
    kind=UNCHANGED,
    title=UNCHANGED,
    organisation=UNCHANGED,
    handler=UNCHANGED,
    due_on=UNCHANGED,
    closed: bool = False,
    reopened: bool = False,
    backlog=UNCHANGED,
    details: dict | None = None,
) -> TimelineEntry:
    """Move ``item`` to ``to_step`` on ``on`` (not before its last step), changing what the step changes, and
    record the step on its timeline. ``closed`` closes the item on ``on``. A stale ``version`` changes
    nothing (``StaleVersion``)."""
    current = lock_for_edit(item, version)
    check_step_date(on, after=last_step_on(current))
    before = snapshot(current)
    from_step = current.step
    acting = current.organisation  # the step is filed under whoever held the case when it was taken
    current.step = to_step
    for name, value in (
        ("kind", kind),
        ("title", title),
        ("organisation", organisation),
        ("handler", handler),
        ("due_on", due_on),
        ("backlog", backlog),
    ):
        if value is not UNCHANGED:
            setattr(current, name, value)
    if closed:
        current.closed_on = on
    elif reopened:
        current.closed_on = None
    save_next_version(current)
    entry = TimelineEntry.objects.create(
        item=current,
        action=action,
        on=on,
        actor=_actor_user(),
        organisation=acting_organisation(_actor_user(), acting, current.organisation),
        from_step=from_step,
        to_step=to_step,
        note=note,
        details=details or {},
    )
    audit_change(Action.UPDATE, before=before, after=current, verb=f"work.{action}")
    if item is not current:
        item.refresh_from_db()  # the caller's copy (and its cached organisation) follow the move
    return entry


@transaction.atomic
def work_item_record(
    item: WorkItem, *, action: str, on: datetime.date, note: str = "", details: dict | None = None
) -> TimelineEntry:
    """A timeline entry that does not move the item (a 回访, a note, an attachment's step)."""
    current = WorkItem.objects.select_for_update().get(pk=item.pk)
    check_step_date(on, after=last_step_on(current))
    return TimelineEntry.objects.create(
        item=current,
        action=action,
        on=on,
        actor=_actor_user(),
        organisation=current.organisation,
        from_step=current.step,
        to_step=current.step,
        note=note,
        details=details or {},
    )


def notifications_mark_read(*, user, pk: int | None = None) -> int:
    """Mark ``user``'s notification ``pk`` read, or all their unread ones; returns how many changed.
    Reading one's own notifications changes no business data: it is not audited."""
    unread = user.notifications.filter(read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())
