"""The daily reminders: who is told what about open work items on a day.

On day ``on``, for every open item with a due date:

* due within ``SANLING_REMIND_DUE_DAYS`` days (today included): its handler is told it is due soon;
* past its due date: its handler is told it is overdue, every day until it is closed;
* overdue for ``SANLING_REMIND_HEAD_AFTER_DAYS`` days or more: the head of the organisation holding it is
  told as well (escalation to the 责任人's leader).

An item without a handler is its organisation's: then each member is told. Each reminder is one in-app
``Notification`` per user, item, kind and day (a unique constraint), so running the job twice on one day —
by hand after the scheduled run, or after a crash — tells no one anything twice. The users who got new
notifications also get one e-mail (if they have an address and e-mail is configured) and one text message
(if their profile has a phone number) listing them. A failed e-mail or text message is counted and logged;
it never undoes the in-app notifications.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sanling.accounts.models import Profile
from sanling.accounts.scope import EVERYTHING, NOTHING, Scope

from .deadlines import days_overdue
from .models import Notification, NotificationKind, WorkItem
from .sms import SmsError, SmsMessage, sms_backend

logger = logging.getLogger("sanling.reminders")


@dataclass
class RemindSummary:
    """What a run told (or, in a dry run, would tell)."""

    on: datetime.date
    dry_run: bool
    due_soon: int = 0  # notifications of each kind
    overdue: int = 0
    overdue_head: int = 0
    already_sent: int = 0  # reminders skipped because that user had it today already
    users: int = 0
    emails: int = 0
    sms: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def notifications(self) -> int:
        return self.due_soon + self.overdue + self.overdue_head

    def rows(self) -> list[tuple[str, int]]:
        """The summary as (label, count) rows, in the order a person reads them."""
        return [
            (_("Due soon"), self.due_soon),
            (_("Overdue"), self.overdue),
            (_("Overdue (told the head)"), self.overdue_head),
            (_("Notifications"), self.notifications),
            (_("Already sent today"), self.already_sent),
            (_("Users told"), self.users),
            (_("E-mails"), self.emails),
            (_("Text messages"), self.sms),
            (_("Failed to send"), len(self.failures)),
        ]


def _message(kind: str, item: WorkItem, on: datetime.date) -> str:
    title = item.title[:40]
    if kind == NotificationKind.DUE_SOON:
        text = _("Case %(ref)s (%(title)s) is due on %(due)s.") % {
            "ref": item.ref,
            "title": title,
            "due": item.due_on.isoformat(),
        }
    elif kind == NotificationKind.OVERDUE:
        text = _("Case %(ref)s (%(title)s) is %(days)s days overdue (due %(due)s).") % {
            "ref": item.ref,
            "title": title,
            "days": days_overdue(item.due_on, on),
            "due": item.due_on.isoformat(),
        }
    else:
        text = _(
            "Case %(ref)s (%(title)s) held by %(organisation)s is %(days)s days overdue (due %(due)s)."
        ) % {
            "ref": item.ref,
            "title": title,
            "organisation": item.organisation.name if item.organisation else "",
            "days": days_overdue(item.due_on, on),
            "due": item.due_on.isoformat(),
        }
    return text[:300]


def _workers(item: WorkItem) -> list:
    """Who works ``item``: its handler, else its organisation's active members."""
    if item.handler is not None:
        return [item.handler] if item.handler.is_active else []
    if item.organisation is None:
        return []
    return [member for member in item.organisation.members.all() if member.is_active]


def _watchers_of(item: WorkItem):
    """The kind's hook naming who else hears of an overdue item (``KindInfo.watchers``), or None."""
    from .kinds import KINDS

    info = KINDS.get(item.kind)
    return info.watchers if info is not None else None


def reminders_due(on: datetime.date) -> list[tuple[object, WorkItem, str]]:
    """Every (user, item, kind) the rules call for on ``on``, before looking at what was already sent."""
    soon_days = settings.SANLING_REMIND_DUE_DAYS
    head_after = settings.SANLING_REMIND_HEAD_AFTER_DAYS
    items = (
        WorkItem.objects.filter(
            closed_on__isnull=True, due_on__isnull=False, due_on__lte=on + datetime.timedelta(days=soon_days)
        )
        .select_related("handler", "organisation__head", "subject__region", "subject__department")
        .prefetch_related("organisation__members")
        .order_by("due_on", "ref")
    )
    wanted = []
    for item in items.iterator(chunk_size=2000):
        late = days_overdue(item.due_on, on)
        kind = NotificationKind.OVERDUE if late > 0 else NotificationKind.DUE_SOON
        wanted.extend((user, item, kind) for user in _workers(item))
        if late > 0 and (watchers := _watchers_of(item)) is not None:
            wanted.extend((user, item, kind) for user in watchers(item))
        head = item.organisation.head if item.organisation else None
        if late >= head_after and late > 0 and head is not None and head.is_active:
            wanted.append((head, item, NotificationKind.OVERDUE_HEAD))
    # Only about a case the user can open: a handler or member whose scope does not hold the case's subject
    # (a misassignment) hears nothing of it, as it is not in their 我的待办 either.
    scopes = _scopes_of({user.pk: user for user, _item, _kind in wanted}.values())
    return [
        (user, item, kind)
        for user, item, kind in wanted
        if scopes[user.pk].covers_place(item.subject.region, item.subject.department)
    ]


def _scopes_of(users) -> dict[int, Scope]:
    """The scope of each user, from one query of their profiles (``scope_for`` would ask once per user)."""
    users = list(users)
    profiles = {
        profile.user_id: profile
        for profile in Profile.objects.filter(user__in=[user.pk for user in users]).select_related(
            "region", "department"
        )
    }
    scopes = {}
    for user in users:
        profile = profiles.get(user.pk)
        if user.is_superuser:
            scopes[user.pk] = EVERYTHING
        elif profile is None or not profile.role:
            scopes[user.pk] = NOTHING
        else:
            scopes[user.pk] = Scope(
                role=profile.role, region=profile.region, department=profile.department, user_id=user.pk
            )
    return scopes


def remind(*, on: datetime.date, dry_run: bool = False) -> RemindSummary:
    """Tell handlers, organisations and their heads about the items due soon and overdue on ``on``.

    Writes the in-app notifications not yet sent for that day, then sends one e-mail and one text message per
    user told. ``dry_run`` works out the same and writes and sends nothing."""
    summary = RemindSummary(on=on, dry_run=dry_run)
    with translation.override(settings.LANGUAGE_CODE):
        wanted = reminders_due(on)
        # What was sent that day already (a day's notifications, however many items are open).
        sent = set(Notification.objects.filter(on=on).values_list("user_id", "item_id", "kind"))
        new: list[Notification] = []
        seen = set()
        for user, item, kind in wanted:
            key = (user.pk, item.pk, str(kind))
            if key in seen:
                continue
            seen.add(key)
            if key in sent:
                summary.already_sent += 1
                continue
            new.append(Notification(user=user, item=item, kind=kind, on=on, message=_message(kind, item, on)))
            setattr(summary, str(kind), getattr(summary, str(kind)) + 1)
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for notification in new:
            by_user[notification.user_id].append(notification)
        summary.users = len(by_user)
        if dry_run:
            return summary
        with transaction.atomic():
            # Another run on the same day may have written some meanwhile: the constraint keeps one each.
            Notification.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
        _send_email(by_user, summary)
        _send_sms(by_user, summary)
    return summary


def _send_email(by_user: dict[int, list[Notification]], summary: RemindSummary) -> None:
    if not settings.SANLING_REMIND_EMAIL:
        return
    for notifications in by_user.values():
        user = notifications[0].user
        if not user.email:
            continue
        subject = _("[Sanling] %(count)s reminders about your work on %(on)s") % {
            "count": len(notifications),
            "on": summary.on.isoformat(),
        }
        body = "\n".join(notification.message for notification in notifications)
        try:
            send_mail(subject, body, None, [user.email])
        except Exception as error:  # noqa: BLE001 - a mail server down must not stop the other reminders
            logger.warning("reminder e-mail to user %s failed: %s", user.pk, error)
            summary.failures.append(f"email:{user.pk}")
        else:
            summary.emails += 1


def _send_sms(by_user: dict[int, list[Notification]], summary: RemindSummary) -> None:
    phones = {
        profile.user_id: profile.phone
        for profile in Profile.objects.filter(user_id__in=list(by_user)).exclude(phone="")
    }
    if not phones:
        return
    try:
        backend = sms_backend()
    except (SmsError, ImportError) as error:
        logger.warning("the SMS backend is not usable: %s", error)
        summary.failures.append("sms:backend")
        return
    for user_id, phone in phones.items():
        notifications = by_user[user_id]
        if not phone:
            continue
        overdue = sum(1 for n in notifications if n.kind != NotificationKind.DUE_SOON)
        message = SmsMessage(
            phone=phone,
            template=settings.SANLING_SMS_TEMPLATE,
            params={
                "count": len(notifications),
                "overdue": overdue,
                "refs": ",".join(sorted({n.item.ref for n in notifications}))[:60],
                "date": summary.on.isoformat(),
            },
        )
        try:
            backend.send(message)
        except SmsError as error:
            logger.warning("reminder text message to user %s failed: %s", user_id, error)
            summary.failures.append(f"sms:{user_id}")
        else:
            summary.sms += 1
