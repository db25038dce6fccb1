"""What the dashboard shows for a region, a period and a user's scope — all from the assessment engine."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.assessment.models import AssessedYear
from sanling.assessment.periods import Period
from sanling.assessment.selectors import RateRow, dispute_rate, region_rates
from sanling.events.models import Event, EventType
from sanling.regions.models import Region, RegionBoundary
from sanling.subjects.models import Group

WARNING_LEVELS = ("blue", "yellow", "orange", "red")


def warning_level(rate: Decimal | None) -> str:
    """蓝/黄/橙/红 by the configured thresholds; "none" when nothing is active."""
    if rate is None:
        return "none"
    for level, threshold in zip(WARNING_LEVELS, settings.WARNING_THRESHOLDS, strict=False):
        if rate >= Decimal(str(threshold)):
            return level
    return "red"


def default_period() -> Period:
    """The current year if it is assessed, else the latest assessed year, else the current year."""
    this_year = timezone.localdate().year
    years = set(AssessedYear.objects.values_list("year", flat=True))
    if this_year in years or not years:
        return Period.of_year(this_year)
    past = [year for year in years if year <= this_year]
    return Period.of_year(max(past) if past else min(years))


def period_choices(period: Period) -> list[tuple[str, str]]:
    """The periods to offer: every assessed year and this year, and the chosen year's quarters and months."""
    years = set(AssessedYear.objects.values_list("year", flat=True)) | {
        timezone.localdate().year,
        period.year,
    }
    choices = [(str(year), f"{year}年") for year in sorted(years, reverse=True)]
    choices += [(f"{period.year}Q{quarter}", f"{period.year}年第{quarter}季度") for quarter in range(1, 5)]
    choices += [(f"{period.year}-{month:02d}", f"{period.year}年{month}月") for month in range(1, 13)]
    return choices


@dataclass
class Figures:
    """One row of a ranking or one area of the map: both groups of a region (or a department)."""

    region: Region | None
    village: RateRow | None
    unit: RateRow | None
    label: str = ""
    code: str = ""

    @property
    def overall_rate(self) -> Decimal | None:
        """The rate a region is coloured and ranked by: its villages' where it has any (the campaign's
        headline figure), else its units'."""
        if self.village and self.village.active:
            return self.village.rate
        return self.unit.rate if self.unit else None

    @property
    def level(self) -> str:
        return warning_level(self.overall_rate)


@dataclass
class Dashboard:
    region: Region
    period: Period
    scope: Scope
    village: RateRow
    unit: RateRow
    children: list[Figures] = field(default_factory=list)
    departments: list[Figures] = field(default_factory=list)
    events_by_type: list[tuple[str, int]] = field(default_factory=list)
    disputes: tuple[int, int, Decimal | None] = (0, 0, None)
    trend: dict[str, list] = field(default_factory=dict)

    @property
    def subjects(self) -> int:
        return self.village.active + self.unit.active


def _pair(rows: list[RateRow], code: str) -> tuple[RateRow | None, RateRow | None]:
    by_group = {row.group: row for row in rows if row.region_code == code}
    return by_group.get(Group.VILLAGE), by_group.get(Group.UNIT)


def _department_rows(scope: Scope, region: Region, period: Period) -> list[RateRow]:
    return [
        row
        for row in region_rates(region=region, period=period, by="department")
        if scope.department is None or row.department_code == scope.department.code
    ]


def _figures_of(scope: Scope, region: Region, period: Period) -> tuple[RateRow, RateRow]:
    """Both groups of ``region`` as the user may see them (a department user: its units only)."""
    if scope.department is not None and not scope.everything:
        rows = _department_rows(scope, region, period)
        unit = rows[0] if rows else _empty(region, period, Group.UNIT)
        return _empty(region, period, Group.VILLAGE), unit
    village, unit = region_rates(region=region, period=period)
    return village, unit


def _empty(region: Region, period: Period, group: str) -> RateRow:
    return RateRow(region.code, region.name, period.key, group, 0, 0, None, 0, 0, 0)


def dashboard_for(*, scope: Scope, region: Region, period: Period) -> Dashboard:
    village, unit = _figures_of(scope, region, period)
    board = Dashboard(region=region, period=period, scope=scope, village=village, unit=unit)
    children = list(Region.objects.filter(parent=region).order_by("code"))
    if scope.department is not None and not scope.everything:
        board.children = [Figures(child, *_figures_of(scope, child, period)) for child in children]
    else:
        rows = region_rates(region=region, period=period, by="child")
        board.children = [Figures(child, *_pair(rows, child.code)) for child in children]
        board.departments = [
            Figures(None, None, row, label=row.department_name or "", code=row.department_code or "")
            for row in region_rates(region=region, period=period, by="department")
        ]
    board.children.sort(key=lambda figures: (figures.overall_rate is None, -(figures.overall_rate or 0)))
    board.departments.sort(key=lambda figures: (figures.overall_rate is None, -(figures.overall_rate or 0)))
    events = Event.objects.filter(
        scope.subject_q("subject__"),
        subject__region__path__startswith=region.path,
        occurred_on__range=(period.start, period.end),
    )
    counts = dict(events.values_list("type").annotate(count=Count("id")).order_by())
    board.events_by_type = [(label, counts.get(value, 0)) for value, label in EventType.choices]
    if scope.department is None or scope.everything:
        board.disputes = dispute_rate(region=region, period=period)
    board.trend = _trend(scope, region, period)
    return board


def _trend(scope: Scope, region: Region, period: Period) -> dict[str, list]:
    """Monthly 达标率 of the period's year for both groups."""
    months = [Period.month(period.year, month) for month in range(1, 13)]
    today = timezone.localdate()
    trend = {"months": [f"{month.start.month}月" for month in months], "village": [], "unit": []}
    for month in months:
        if month.start > today:
            trend["village"].append(None)
            trend["unit"].append(None)
            continue
        village, unit = _figures_of(scope, region, month)
        trend["village"].append(float(village.rate) if village.rate is not None else None)
        trend["unit"].append(float(unit.rate) if unit.rate is not None else None)
    return trend


def map_features(region: Region, figures: list[Figures]) -> dict:
    """A GeoJSON FeatureCollection of the children that have an outline, with their rate and colour."""
    by_id = {item.region.pk: item for item in figures if item.region}
    features = []
    for boundary in RegionBoundary.objects.filter(region__parent=region).select_related("region"):
        item = by_id.get(boundary.region_id)
        rate = item.overall_rate if item else None
        features.append(
            {
                "type": "Feature",
                "geometry": boundary.geometry,
                "properties": {
                    "name": boundary.region.name,
                    "code": boundary.region.code,
                    "rate": float(rate) if rate is not None else None,
                    "level": warning_level(rate),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def rates_for(*, scope: Scope, region: Region, period: Period, by: str, group: str | None) -> list[RateRow]:
    """``region_rates`` as a user may see them: a department user gets its own units' rows only."""
    if scope.department is None or scope.everything:
        return region_rates(region=region, period=period, by=by, group=group)
    if by == "category":
        return []
    if group == Group.VILLAGE:
        return []
    if by == "department":
        return _department_rows(scope, region, period)
    regions = [region] if by == "self" else list(Region.objects.filter(parent=region).order_by("code"))
    return [_figures_of(scope, node, period)[1] for node in regions]
