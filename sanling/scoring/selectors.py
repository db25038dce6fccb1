"""Reads of 考核: each town's (or department's) score for a period under the year's indicator set, with the
breakdown, and who may see which rows.

How a raw value becomes points (ours; the seeds give no method): an indicator is worth ``weight`` points
(the weights of a set sum to 100, so a total is out of 100).

- ``linear``: weight × min(raw ÷ bar, 1) — full points at or above the bar, proportionally less below it.
- ``threshold``: weight if raw ≥ bar, else 0.
- ``zero``: weight if raw = 0 (a count, e.g. red warnings), else 0.

The bar is the indicator's own ``bar`` when the county set one; else the county's target for that figure
and year (``targets.selectors.target_value``, e.g. 80 for 村社区, 90 for 企事业); else 100. A rate with
nothing to divide (no dispute registered, no hazard found) earns full points: nothing failed. Points are
rounded half-up to two decimals; the rank orders totals highest first, equal totals share a rank.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import department_rows
from sanling.departments.models import Department
from sanling.regions.models import Level, Region
from sanling.subjects.models import Group
from sanling.targets.selectors import target_value

from .indicators import REGISTRY
from .models import Indicator, IndicatorSet, Mapping, Target

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass
class ScoreCell:
    key: str
    weight: Decimal
    raw: Decimal | None
    bar: Decimal | None
    points: Decimal


@dataclass
class ScoreRow:
    code: str
    name: str
    cells: list[ScoreCell]
    total: Decimal
    rank: int = 0
    region: Region | None = None
    department: Department | None = None


def points_for(indicator: Indicator, raw: Decimal | None, bar: Decimal | None) -> Decimal:
    """The points ``raw`` earns under ``indicator`` against ``bar`` (see the module's text)."""
    weight = Decimal(indicator.weight)
    if indicator.mapping == Mapping.ZERO:
        return weight if raw is not None and raw == 0 else (weight if raw is None else Decimal(0))
    if raw is None:
        return weight
    if indicator.mapping == Mapping.THRESHOLD:
        return weight if raw >= bar else Decimal(0)
    if not bar or bar <= 0:
        return weight
    return (weight * min(raw / bar, Decimal(1))).quantize(CENT, rounding=ROUND_HALF_UP)


def bar_for(indicator: Indicator, *, region: Region, year: int, target: str) -> Decimal | None:
    """The raw value that earns full points: the indicator's own, else the county's target, else 100."""
    kind = REGISTRY[indicator.key]
    if indicator.mapping == Mapping.ZERO:
        return None
    if indicator.bar is not None:
        return Decimal(indicator.bar)
    if kind.target_indicator:
        group = kind.target_group or (Group.VILLAGE if target == Target.TOWNS else Group.UNIT)
        value = target_value(region=region, year=year, group=group, indicator=kind.target_indicator)
        if value is not None:
            return Decimal(value)
    return HUNDRED


def county_of(scope: Scope) -> Region | None:
    """The county whose towns and departments a user's score page shows."""
    home = scope.home
    if home is None:
        return None
    if home.level == Level.COUNTY:
        return home
    return Region.objects.filter(code__in=home.ancestor_codes, level=Level.COUNTY).first()


def indicator_set_for(year: int, target: str) -> IndicatorSet | None:
    return IndicatorSet.objects.filter(year=year, target=target).prefetch_related("indicators").first()


def score_rows(
    *,
    indicator_set: IndicatorSet,
    county: Region,
    period: Period,
    today: datetime.date | None = None,
) -> list[ScoreRow]:
    """Every town of ``county`` (or every department with units there) scored for ``period``, ranked."""
    indicators = list(indicator_set.indicators.all())
    target = indicator_set.target
    bars = {
        indicator.key: bar_for(indicator, region=county, year=period.year, target=target)
        for indicator in indicators
    }
    scored: list[tuple[str, str, Region, Department | None]] = []
    if target == Target.TOWNS:
        for town in Region.objects.filter(parent=county).order_by("code"):
            scored.append((town.code, town.name, town, None))
    else:
        codes = [row.department_code for row in department_rows(region=county, period=period)]
        for department in Department.objects.filter(code__in=codes).order_by("code"):
            scored.append((department.code, department.name, county, department))
    rows = []
    for code, name, region, department in scored:
        cells = []
        for indicator in indicators:
            raw = REGISTRY[indicator.key].compute(region, period, department, today)
            bar = bars[indicator.key]
            cells.append(
                ScoreCell(indicator.key, Decimal(indicator.weight), raw, bar, points_for(indicator, raw, bar))
            )
        total = sum((cell.points for cell in cells), Decimal(0)).quantize(CENT)
        rows.append(
            ScoreRow(
                code=code,
                name=name,
                cells=cells,
                total=total,
                region=region if department is None else None,
                department=department,
            )
        )
    rows.sort(key=lambda row: (-row.total, row.code))
    for position, row in enumerate(rows, start=1):
        row.rank = (
            position if position == 1 or row.total != rows[position - 2].total else rows[position - 2].rank
        )
    return rows


def visible_rows(rows: list[ScoreRow], scope: Scope, county: Region) -> list[ScoreRow]:
    """The rows a user may read: a town's to those whose area holds it; a department's to the county's
    users and to the department itself."""
    if scope.everything:
        return rows
    if not scope.sees_business_data:
        return []
    shown = []
    for row in rows:
        if row.department is not None:
            if (scope.department is not None and scope.department.pk == row.department.pk) or (
                scope.region is not None and county.path.startswith(scope.region.path)
            ):
                shown.append(row)
        elif scope.region is not None and row.region.path.startswith(scope.region.path):
            shown.append(row)
    return shown


def format_raw(key: str, raw: Decimal | None) -> str:
    if raw is None:
        return "—"
    if not REGISTRY[key].percent:
        return str(int(raw))
    return f"{raw}%"
