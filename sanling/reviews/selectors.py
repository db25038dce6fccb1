"""Reads of the monthly review: the figures each town (or village) and department is reviewed on, computed
from the engine and the casework, and which reviews a user may open.

The figures of one item for a month M, taken on day D (the month's last day, or today while it runs):

- ``rate``: the combined 达标率 of the item's subjects in M — compliant ÷ active over both groups (村社区 and
  企事业) for a town or village (``assessment.selectors.rates_for(by="child")``), the department's units for a
  department (``department_rows``). The ranking is on this rate, highest first; equal rates share a rank
  (1, 2, 2, 4); an item with no active subject is listed last without a rank.
- ``change``: ``rate`` minus the same rate in the month before M, in points (None if either is missing).
- ``overdue``: open work items (every kind: disputes, petitions, agency cases, hazards, key-person visits) of
  subjects placed there on D whose due date is before D.
- ``backlog``: 积案 on the ledger flagged by D and not resolved by D.
- ``warnings_red`` / ``warnings_orange``: subjects with that colour on D (``alerts.selectors.subject_warnings``).
- ``assignments_*``: 交办 given in M (``assignments.selectors.assignment_figures``).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.alerts.selectors import subject_warnings
from sanling.assessment.periods import Period
from sanling.assessment.selectors import department_rows, rate_percent, rates_for
from sanling.assignments.selectors import assignment_figures
from sanling.departments.models import Department
from sanling.petitions.models import Backlog
from sanling.regions.models import Region, subtree_q
from sanling.work.figures import overdue_day, placed_subjects
from sanling.work.models import WorkItem

from .models import ItemKind, MonthlyReview

# A review is held by a county for its towns, or by a town for its villages.
REVIEW_LEVELS = ("county", "town")


@dataclass
class ItemFigures:
    """The figures of one item of a review, before they are stored."""

    kind: str
    code: str
    name: str
    region: Region
    department: Department | None = None
    active: int = 0
    compliant: int = 0
    rate: Decimal | None = None
    previous_rate: Decimal | None = None
    change: Decimal | None = None
    overdue: int = 0
    backlog: int = 0
    warnings_red: int = 0
    warnings_orange: int = 0
    assignments_total: int = 0
    assignments_done: int = 0
    assignments_overdue: int = 0
    rank: int | None = None
    extra: dict = field(default_factory=dict)


def previous_month(period: Period) -> Period:
    return Period.month(period.year - (period.start.month == 1), (period.start.month - 2) % 12 + 1)


def rank_items(items: list) -> list:
    """``items`` ordered by rate, highest first (ties by code), each given its competition rank (1, 2, 2, 4);
    those without a rate come last and have no rank."""
    rated = sorted(
        (item for item in items if item.rate is not None), key=lambda item: (-item.rate, item.code)
    )
    rank = 0
    for position, item in enumerate(rated, start=1):
        if position == 1 or item.rate != rated[position - 2].rate:
            rank = position
        item.rank = rank
    unrated = sorted((item for item in items if item.rate is None), key=lambda item: item.code)
    for item in unrated:
        item.rank = None
    return rated + unrated


def _combined(rows) -> dict[str, tuple[int, int]]:
    """region code -> (active, compliant) over both groups."""
    totals: dict[str, tuple[int, int]] = {}
    for row in rows:
        active, compliant = totals.get(row.region_code, (0, 0))
        totals[row.region_code] = (active + row.active, compliant + row.compliant)
    return totals


def _work(region: Region, day: datetime.date, department: Department | None) -> tuple[int, int]:
    """(overdue open work items, open 积案) of the subjects placed in ``region`` (``department``'s units) on
    ``day``."""
    subjects = placed_subjects(region, day, department=department)
    overdue = WorkItem.objects.filter(
        subject_id__in=subjects, closed_on__isnull=True, due_on__lt=day, opened_on__lte=day
    ).count()
    backlog = (
        Backlog.objects.filter(item__subject_id__in=subjects, flagged_on__lte=day)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=day))
        .count()
    )
    return overdue, backlog


def _warnings(region: Region, day: datetime.date, department: Department | None) -> tuple[int, int]:
    red = orange = 0
    for warning in subject_warnings(region=region, on=day):
        if department is not None and warning.department_id != department.pk:
            continue
        red += warning.colour == "red"
        orange += warning.colour == "orange"
    return red, orange


def _fill(item: ItemFigures, period: Period, day: datetime.date) -> ItemFigures:
    item.rate = rate_percent(item.compliant, item.active)
    if item.rate is not None and item.previous_rate is not None:
        item.change = item.rate - item.previous_rate
    item.overdue, item.backlog = _work(item.region, day, item.department)
    item.warnings_red, item.warnings_orange = _warnings(item.region, day, item.department)
    given = assignment_figures(region=item.region, period=period, department=item.department)
    item.assignments_total, item.assignments_done, item.assignments_overdue = (
        given.total,
        given.done,
        given.overdue,
    )
    return item


def review_figures(
    *, region: Region, period: Period, today: datetime.date | None = None
) -> tuple[datetime.date, list[ItemFigures], list[ItemFigures]]:
    """(the day the figures are taken on, the ranked regions, the ranked departments) of ``region``'s review
    of ``period``: every child region, and every department with units active in ``region`` this month or
    last."""
    day = overdue_day(period, today=today)
    before = previous_month(period)
    now_rows = _combined(rates_for(scope=None, region=region, period=period, by="child"))
    then_rows = _combined(rates_for(scope=None, region=region, period=before, by="child"))
    regions = []
    for child in Region.objects.filter(parent=region).order_by("code"):
        active, compliant = now_rows.get(child.code, (0, 0))
        then = then_rows.get(child.code, (0, 0))
        item = ItemFigures(
            kind=ItemKind.REGION,
            code=child.code,
            name=child.name,
            region=child,
            active=active,
            compliant=compliant,
            previous_rate=rate_percent(then[1], then[0]),
        )
        regions.append(_fill(item, period, day))
    now_units = {row.department_code: row for row in department_rows(region=region, period=period)}
    then_units = {row.department_code: row for row in department_rows(region=region, period=before)}
    departments = []
    for department in Department.objects.filter(code__in=now_units.keys() | then_units.keys()).order_by(
        "code"
    ):
        row, then = now_units.get(department.code), then_units.get(department.code)
        item = ItemFigures(
            kind=ItemKind.DEPARTMENT,
            code=department.code,
            name=department.name,
            region=region,
            department=department,
            active=row.active if row else 0,
            compliant=row.compliant if row else 0,
            previous_rate=then.rate if then else None,
        )
        departments.append(_fill(item, period, day))
    return day, rank_items(regions), rank_items(departments)


def reviews_for(scope: Scope) -> QuerySet[MonthlyReview]:
    """The reviews a user may open: those of a region in their subtree. A review ranks regions against each
    other, so a department's user (whose figures are its own units only) opens none."""
    reviews = MonthlyReview.objects.select_related("region", "created_by")
    if scope.everything:
        return reviews
    if not scope.sees_business_data or scope.region is None:
        return reviews.none()
    return reviews.filter(subtree_q(scope.region.path, via="region__"))


def review_regions(scope: Scope) -> QuerySet[Region]:
    """The regions a user may hold a review of: counties and towns in their subtree."""
    regions = Region.objects.filter(level__in=REVIEW_LEVELS).order_by("code")
    if scope.everything:
        return regions
    if not scope.can_supervise or scope.region is None:
        return regions.none()
    return regions.filter(subtree_q(scope.region.path))


def default_month(today: datetime.date | None = None) -> Period:
    """Last month: the one a monthly review meeting discusses."""
    return previous_month(Period.month(*((today or timezone.localdate()).timetuple()[:2])))
