"""Reads of 交办: assignments and how many were done in time."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.departments.models import Department
from sanling.regions.models import Region, subtree_q

from .models import Assignment, AssignmentStatus


def assignments_for(scope: Scope) -> QuerySet[Assignment]:
    """Assignments a user may see: those received by organisations in their area (a department user: its
    department's), and those given by their county or town (the giver's subtree)."""
    condition = scope.subject_q()  # region and department of the receiving organisation, as a subject's
    if not scope.everything and scope.sees_business_data and scope.region is not None:
        condition |= subtree_q(scope.region.path, via="giver_region__")
    return Assignment.objects.filter(condition)


def overdue_q(on: datetime.date) -> Q:
    """Open (not 已办结) past the deadline on ``on``."""
    return ~Q(status=AssignmentStatus.DONE) & Q(due_on__lt=on)


def late_q() -> Q:
    """Counted overdue in the figures: open past the deadline today, or fed back after it."""
    return overdue_q(timezone.localdate()) | Q(fed_back_on__isnull=False, fed_back_on__gt=F("due_on"))


@dataclass
class AssignmentFigures:
    """Assignments given in a period to organisations of a region (or of a department)."""

    total: int = 0
    done: int = 0
    overdue: int = 0  # open past their deadline, or done after it
    open: int = 0

    @property
    def done_rate(self) -> float | None:
        """办结率 in percent, or None without assignments."""
        return round(self.done * 100 / self.total, 2) if self.total else None


def assignment_figures(
    *, region: Region, period: Period, department: Department | None = None
) -> AssignmentFigures:
    """Assignments given in ``period`` to organisations in ``region``'s subtree (to ``department``'s if given)."""
    rows = Assignment.objects.filter(
        subtree_q(region.path, via="region__"), given_on__range=(period.start, period.end)
    )
    if department is not None:
        rows = rows.filter(department=department)
    counts = rows.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
        overdue=Count("pk", filter=late_q()),
    )
    total = counts["total"] or 0
    done = counts["done"] or 0
    return AssignmentFigures(total=total, done=done, overdue=counts["overdue"] or 0, open=total - done)


def my_assignments(user, *, scope: Scope, limit: int = 50) -> list[Assignment]:
    """The assignments waiting for ``user`` (我的待办): 待反馈 ones of the organisations they own, head or
    belong to, and 已反馈 ones their county or town gave (to accept or return), soonest due first."""
    from sanling.organisations.models import Organisation

    if not getattr(user, "is_authenticated", False) or not scope.sees_business_data:
        return []
    mine = Organisation.objects.filter(Q(members=user) | Q(head=user)).values("pk")
    waiting = Q(status=AssignmentStatus.PENDING) & (Q(owner=user) | Q(organisation__in=mine))
    if scope.everything or (scope.can_supervise and scope.region is not None):
        giver = Q(status=AssignmentStatus.FED_BACK)
        if not scope.everything:
            giver &= subtree_q(scope.region.path, via="giver_region__")
        waiting |= giver
    return list(
        assignments_for(scope)
        .filter(waiting)
        .select_related("organisation")
        .distinct()
        .order_by("due_on", "ref")[:limit]
    )
