"""Reads of the grid worker's day ("today"): the key-population visits due, the hazards waiting for their
re-check or their rectification, and the other open cases — all from the work items of [7], so what the
page lists is what 我的待办 and the reminders count.

The seeds' grid worker is "人在网中行、事在格中办": the page answers "what do I do today?" in four short lists,
each a bounded query over the partial indexes on open items (``work_open_handler``, ``work_open_org``,
``work_open_subject``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sanling.accounts.models import Role
from sanling.accounts.scope import Scope, scope_for
from sanling.hazards.models import HazardStatus
from sanling.hazards.services import RECTIFIER_ACTIONS
from sanling.work.deadlines import days_overdue
from sanling.work.models import TimelineEntry, WorkItem, WorkKind
from sanling.work.selectors import my_work, step_label

# How many rows each list of the page shows; the rest are a link away (我的待办, the domain's list).
LIST_LIMIT = 20
# The hazard steps the page reads: 整改中 and 申请复查.
RECTIFYING = HazardStatus.RECTIFYING
RECHECK_REQUESTED = HazardStatus.RECHECK_REQUESTED


def lands_on_today(scope: Scope) -> bool:
    """Whether a user starts their day on "today" rather than the dashboard: the grid workers (网格员,
    village staff), whose work is in the field, not in the rates."""
    return not scope.everything and scope.role == Role.GRID_WORKER


def week_end(today: datetime.date) -> datetime.date:
    """The last day (Sunday) of ``today``'s week: "this week" on the page."""
    return today + datetime.timedelta(days=6 - today.weekday())


def item_url(item: WorkItem) -> str:
    """The page of ``item``'s case (a key person's, a hazard's, a dispute's …), or 我的待办 for a kind
    whose pages are not installed."""
    from sanling.work.kinds import KINDS

    info = KINDS.get(item.kind)
    if info is None:
        return reverse("work:mine")
    try:
        return reverse(info.page, kwargs={"ref": item.ref})
    except NoReverseMatch:
        return reverse("work:mine")


def _decorated(items: list[WorkItem], today: datetime.date) -> list[WorkItem]:
    for item in items:
        item.days_overdue = days_overdue(item.due_on, today)
        item.due_today = item.due_on == today
        item.step_label = step_label(item.kind, item.step)
        item.url = item_url(item)
        if item.kind == WorkKind.KEY_VISIT:  # 记录回访: straight to the visit form of the person
            try:
                item.url = reverse("keypeople:visit", kwargs={"ref": item.ref})
            except NoReverseMatch:
                pass
    return items


@dataclass
class Today:
    """What the grid worker's "today" page lists for one user on one day."""

    today: datetime.date
    week_end: datetime.date
    visits_due: list[WorkItem] = field(default_factory=list)  # due by the week's end, overdue first
    visits_overdue: int = 0
    visits_today: int = 0
    rechecks: list[WorkItem] = field(default_factory=list)  # hazards at 申请复查 the user may re-check
    rectify: list[WorkItem] = field(default_factory=list)  # hazards at 整改中 the user works
    cases: list[WorkItem] = field(default_factory=list)  # the user's other open cases
    cases_count: int = 0


def _grid_hazards(user, *, scope: Scope, step: str) -> QuerySet[WorkItem]:
    """Open hazard cases at ``step`` of the user's own grids (网格): the hazards whose grid lies in the regions
    of the posts they hold, plus the ones they handle; a user who holds no post reads their scope instead.
    Always inside their scope."""
    from sanling.grids.selectors import grid_regions_of_user

    items = scope.work_items().filter(kind=WorkKind.HAZARD, step=step, closed_on__isnull=True)
    regions = list(grid_regions_of_user(user).only("path"))
    if not regions:
        return items
    in_grids = Q(handler=user)
    for region in regions:
        in_grids |= Q(hazard__grid__path__startswith=region.path)
    return items.filter(in_grids)


def rechecks_for(user, *, scope: Scope) -> QuerySet[WorkItem]:
    """Open hazard cases of the user's grids (or scope, without a post) waiting for their 复查, except those
    the user rectified or asked the re-check for: "a 复查 by the same person who rectified" is refused (issue
    15, bad input; ``hazards.services`` refuses it), so they are not offered."""
    if not scope.can_write:
        return WorkItem.objects.none()
    rectified = TimelineEntry.objects.filter(action__in=RECTIFIER_ACTIONS, actor=user)
    return (
        _grid_hazards(user, scope=scope, step=RECHECK_REQUESTED)
        .exclude(pk__in=rectified.values("item_id"))
        .select_related("subject", "organisation", "handler")
        .order_by("due_on", "ref")
    )


def rectify_for(user, *, scope: Scope) -> QuerySet[WorkItem]:
    """Open hazard cases at 整改中 of the user's grids (or scope, without a post), and the ones they handle."""
    return (
        _grid_hazards(user, scope=scope, step=RECTIFYING)
        .select_related("subject", "organisation", "handler")
        .order_by("due_on", "ref")
    )


def today_for(user, *, scope: Scope | None = None, today: datetime.date | None = None) -> Today:
    """The lists of the "today" page of ``user`` (inside their scope) on ``today``."""
    scope = scope or scope_for(user)
    today = today or timezone.localdate()
    page = Today(today=today, week_end=week_end(today))
    if not scope.sees_business_data:
        return page
    mine = my_work(user, scope=scope)
    visits = mine.filter(kind=WorkKind.KEY_VISIT, due_on__lte=page.week_end)
    page.visits_due = _decorated(list(visits[:LIST_LIMIT]), today)
    page.visits_overdue = sum(1 for item in page.visits_due if item.days_overdue)
    page.visits_today = sum(1 for item in page.visits_due if item.due_today)
    page.rectify = _decorated(list(rectify_for(user, scope=scope)[:LIST_LIMIT]), today)
    page.rechecks = _decorated(list(rechecks_for(user, scope=scope)[:LIST_LIMIT]), today)
    others = mine.exclude(kind__in=(WorkKind.KEY_VISIT, WorkKind.HAZARD))
    page.cases = _decorated(list(others[:LIST_LIMIT]), today)
    page.cases_count = len(page.cases) if len(page.cases) < LIST_LIMIT else others.count()
    return page
