"""Hazard figures per region and period: found, rectified, overdue and 整改率.

- ``found``: hazards found in the period at subjects placed in the region (the engine's placement rule, as
  ``work.figures``), ``major`` of them 重大;
- ``rectified``: of those, how many had passed their 复查 by the day the figures are taken on (the period's
  last day, or today while it runs);
- ``overdue``: hazards (found in any period) still open on that day and past their deadline;
- ``rectify_rate`` (整改率) = rectified ÷ found, a percentage with two decimals, None when nothing was found.

Three aggregate queries over indexed columns; a hazard never enters a 达标率 (it is not an event).
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import rate_percent
from sanling.regions.models import Region
from sanling.work.figures import _department, _inside, overdue_day, placed_subjects

from .models import Hazard, HazardLevel


@dataclass(frozen=True)
class HazardFigures:
    region_code: str
    region_name: str
    period: str
    on: datetime.date  # the day rectified and overdue are counted on
    found: int
    major: int
    rectified: int
    overdue: int
    rectify_rate: Decimal | None

    def rows(self) -> list[tuple[str, object]]:
        return [
            (_("Hazards found"), self.found),
            (_("of which major"), self.major),
            (_("Hazards rectified"), self.rectified),
            (_("Hazards overdue"), self.overdue),
            (_("Rectification rate (%)"), self.rectify_rate),
        ]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        return {key: float(value) if isinstance(value, Decimal) else value for key, value in data.items()}


def hazard_figures(
    *, region: Region, period: Period, scope: Scope | None = None, today: datetime.date | None = None
) -> HazardFigures:
    """The hazard figures of ``region``'s subtree for ``period`` as ``scope`` may see them (None: all)."""
    subjects = placed_subjects(region, period.end, department=_department(scope, None))
    inside = _inside(scope, subjects)
    on = overdue_day(period, today=today)
    found = Hazard.objects.filter(inside, found_on__range=(period.start, period.end)).aggregate(
        found=Count("pk"),
        major=Count("pk", filter=Q(level=HazardLevel.MAJOR)),
        rectified=Count("pk", filter=Q(rectified_on__isnull=False, rectified_on__lte=on)),
    )
    overdue = Hazard.objects.filter(
        inside,
        Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on),
        found_on__lte=on,
        case__due_on__lt=on,
    ).count()
    return HazardFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        on=on,
        found=found["found"],
        major=found["major"],
        rectified=found["rectified"],
        overdue=overdue,
        rectify_rate=rate_percent(found["rectified"], found["found"]),
    )
