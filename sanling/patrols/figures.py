"""Patrol figures per area and period: patrols, hours, residents met (the seeds' 见警率: "为最大限度提高群众见警率,
巡逻队实行分班制,24小时在社区巡逻") and findings, with how many findings opened a hazard or a dispute.

A patrol counts in the period its start falls in and in the area it was logged in (its ``region``), one
aggregate query over the index on (region, started_at).
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.regions.models import Region, subtree_q

from .models import PatrolLog
from .selectors import day_bounds


@dataclass(frozen=True)
class PatrolFigures:
    """What the patrols of one area did in one period."""

    region_code: str
    region_name: str
    period: str
    patrols: int
    hours: Decimal  # patrol hours, summed over the logs (not multiplied by the patrollers)
    residents_contacted: int  # 见警: residents the patrols met
    findings: int  # patrols that found something
    hazards_opened: int
    disputes_opened: int

    def rows(self) -> list[tuple[str, object]]:
        return [
            (_("Patrols"), self.patrols),
            (_("Patrol hours"), self.hours),
            (_("Residents met (见警)"), self.residents_contacted),
            (_("Patrols with findings"), self.findings),
            (_("Hazards opened"), self.hazards_opened),
            (_("Disputes opened"), self.disputes_opened),
        ]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["hours"] = float(self.hours)
        return data


def patrol_figures(
    *, region: Region, period: Period, scope: Scope | None = None, today: datetime.date | None = None
) -> PatrolFigures:
    """The figures of the patrols logged in ``region``'s subtree during ``period``, as ``scope`` sees them
    (None: everything). ``today`` is accepted for the shared signature; patrols are never in the future."""
    start, end = day_bounds(period.start, period.end)
    logs = PatrolLog.objects.filter(
        subtree_q(region.path, via="region__"), started_at__gte=start, started_at__lt=end
    )
    if scope is not None:
        logs = logs.filter(scope.region_q())
    totals = logs.aggregate(
        patrols=Count("pk"),
        duration=Sum(F("ended_at") - F("started_at")),
        residents=Sum("residents_contacted"),
        findings=Count("pk", filter=~Q(findings="")),
        hazards=Count("pk", filter=Q(hazard__isnull=False)),
        disputes=Count("pk", filter=Q(dispute__isnull=False)),
    )
    duration = totals["duration"] or datetime.timedelta(0)
    hours = (Decimal(duration.total_seconds()) / Decimal(3600)).quantize(Decimal("0.1"))
    return PatrolFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        patrols=totals["patrols"],
        hours=hours,
        residents_contacted=totals["residents"] or 0,
        findings=totals["findings"],
        hazards_opened=totals["hazards"],
        disputes_opened=totals["disputes"],
    )


def patrol_figures_by_area(
    *, region: Region, period: Period, scope: Scope | None = None
) -> list[PatrolFigures]:
    """The figures of each child area of ``region`` (a town's communities, a community's grids) that has
    patrols in the period: the per-area table of the list page."""
    children = Region.objects.filter(parent=region).order_by("code")
    rows = [patrol_figures(region=child, period=period, scope=scope) for child in children]
    return [row for row in rows if row.patrols]
