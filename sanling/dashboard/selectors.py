"""What the dashboard shows for a region, a period and a user's scope — all from the assessment's selectors.

Every figure is read for all the regions and months a page shows at once, so a page runs the same number of
queries however many regions, subjects and events a province has (tested per role).
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import Scope
from sanling.alerts.selectors import colour_for, thresholds_on
from sanling.assessment.periods import Period
from sanling.assessment.selectors import (
    RateRow,
    assessable_years,
    dispute_rate,
    rates_for,
    scoped_rates,
)
from sanling.events.models import Event, EventType
from sanling.fieldwork.figures import FieldworkFigures, fieldwork_figures
from sanling.regions.models import Region, RegionBoundary, subtree_q
from sanling.regions.selectors import region_children
from sanling.subjects.models import Group
from sanling.work.figures import CaseFigures, case_figures

# The map's colours: the four warning colours of a region under the thresholds in force (per group, issue 16,
# ``alerts.RegionThreshold``), "ok" above every threshold and "none" when nothing is active.
WARNING_LEVELS = ("red", "orange", "yellow", "blue")


def thresholds_for(period: Period | None = None) -> dict:
    """The region thresholds in force on the period's last day (or today, if it has not ended): one query."""
    today = timezone.localdate()
    return thresholds_on(min(period.end, today) if period is not None else today)


def warning_level(
    rate: Decimal | None, group: str | None = Group.VILLAGE, *, thresholds: dict | None = None
) -> str:
    """红/橙/黄/蓝 by the region thresholds of ``group`` in force (``alerts.selectors.region_colour``); "ok"
    above every threshold; "none" when nothing is active."""
    if rate is None:
        return "none"
    if thresholds is None:
        thresholds = thresholds_on(timezone.localdate())
    return colour_for(thresholds, group or Group.VILLAGE, rate) or "ok"


GROUP_LEGEND = {Group.VILLAGE: "村社区", Group.UNIT: "企事业"}


def warning_legend(thresholds: dict | None = None) -> list[tuple[str, str]]:
    """(level, range) for the map's key, per group, from the thresholds in force (村社区 红 <70%, 橙 70%–80%, …,
    ≥90%)."""
    thresholds = thresholds_on(timezone.localdate()) if thresholds is None else thresholds
    legend = []
    for group, title in GROUP_LEGEND.items():
        rows = sorted(thresholds.get(group, []), key=lambda row: row[1])
        lower = None
        for colour, below in rows:
            text = f"{below.normalize():f}%"
            legend.append((colour, f"{title} {lower}–{text}" if lower else f"{title} <{text}"))
            lower = text
        if lower:
            legend.append(("ok", f"{title} ≥{lower}"))
    return legend


def period_choices(period: Period, *, today: datetime.date | None = None) -> list[tuple[str, str]]:
    """The periods to offer: every year from the earliest on record to this one, and the chosen year's
    quarters and months that have begun."""
    today = today or timezone.localdate()
    choices = [(str(year), f"{year}年") for year in assessable_years(today=today)]
    for quarter in range(1, 5):
        if Period.quarter(period.year, quarter).start <= today:
            choices.append((f"{period.year}Q{quarter}", f"{period.year}年第{quarter}季度"))
    for month in range(1, 13):
        if Period.month(period.year, month).start <= today:
            choices.append((f"{period.year}-{month:02d}", f"{period.year}年{month}月"))
    return choices


@dataclass
class Figures:
    """One row of a ranking or one area of the map: both groups of a region (or a department)."""

    region: Region | None
    village: RateRow | None
    unit: RateRow | None
    label: str = ""
    code: str = ""
    against: dict = field(default_factory=dict)  # group -> targets.selectors.Comparison (issue 16)
    thresholds: dict | None = None  # the region thresholds in force, read once per page

    @property
    def overall_rate(self) -> Decimal | None:
        """The rate a region is coloured and ranked by: its villages' where it has any (the campaign's
        headline figure), else its units'."""
        return self.rated_group[1]

    @property
    def rated_group(self) -> tuple[str | None, Decimal | None]:
        """(group, rate) of the figure the region is coloured by, so a tooltip can say whose rate it is."""
        if self.village and self.village.active:
            return Group.VILLAGE, self.village.rate
        if self.unit and self.unit.active:
            return Group.UNIT, self.unit.rate
        return None, None

    @property
    def level(self) -> str:
        group, rate = self.rated_group
        return warning_level(rate, group, thresholds=self.thresholds)


@dataclass
class Dashboard:
    region: Region
    period: Period
    scope: Scope
    village: RateRow | None  # None for a department user: its figures are its units only
    unit: RateRow
    children: list[Figures] = field(default_factory=list)
    departments: list[Figures] = field(default_factory=list)
    events_by_type: list[tuple[str, int]] = field(default_factory=list)
    disputes: tuple[int, int, Decimal | None] = (0, 0, None)
    trend: dict[str, list] = field(default_factory=dict)
    casework: CaseFigures | None = None  # the 矛盾纠纷/信访 panel
    fieldwork: FieldworkFigures | None = None  # the 基层工作 panel (issue 15)
    against: dict = field(default_factory=dict)  # group -> targets.selectors.Comparison (issue 16)

    @property
    def subjects(self) -> int:
        return self.unit.active + (self.village.active if self.village else 0)

    @property
    def broken(self) -> dict[str, int]:
        """破零上访/事故/案件: subjects of both groups that broke each zero — the same figures as the sum of
        ``sanling rates``' 村社区 and 企事业 rows."""
        rows = [row for row in (self.village, self.unit) if row is not None]
        return {
            "petition": sum(row.broke_petition for row in rows),
            "accident": sum(row.broke_accident for row in rows),
            "case": sum(row.broke_case for row in rows),
        }


@dataclass(frozen=True)
class CaseworkRow:
    """One line of the 矛盾纠纷/信访 panel: a count (or numerator/denominator) and, for a rate, the rate."""

    key: str
    label: str
    count: str
    rate: Decimal | None = None
    is_rate: bool = False


# (key, label, numerator, denominator) of each rate of the panel, in its order.
CASEWORK_RATES = (
    ("dispute_rate", _("Dispute resolution rate"), "disputes_resolved", "disputes_registered"),
    (
        "village_share",
        _("Resolved without leaving the village (不出村)"),
        "resolved_in_village",
        "disputes_resolved",
    ),
    ("town_share", _("Resolved without leaving the town (不出镇)"), "resolved_in_town", "disputes_resolved"),
    ("first_rate", _("First petitions resolved (初信初访化解率)"), "first_concluded", "first_petitions"),
    ("conclusion_rate", _("Petitions concluded (办结率)"), "petitions_concluded", "petitions_received"),
    ("satisfaction_rate", _("Petitioners satisfied (满意率)"), "petitions_satisfied", "petitions_received"),
    (
        "agency_conclusion_rate",
        _("Agency cases concluded (信访代理办结率)"),
        "agency_concluded",
        "agency_cases",
    ),
    (
        "agency_satisfaction_rate",
        _("Agency cases satisfied (信访代理满意率)"),
        "agency_satisfied",
        "agency_cases",
    ),
)
CASEWORK_COUNTS = (
    ("increment", _("New cases in the period (增量)")),
    ("stock", _("Cases open at the period's start (存量)")),
    ("backlog_stock", _("Backlog cases at the period's start (积案)")),
    ("bypass", _("Petitions that bypassed a level (越级)")),
    ("collective", _("Collective petitions (集体访)")),
)


def casework_rows(figures: CaseFigures) -> list[CaseworkRow]:
    """The panel's lines: each rate with what it divides, then the counts and the overdue work."""
    rows = [
        CaseworkRow(
            key,
            str(label),
            f"{getattr(figures, numerator)}/{getattr(figures, denominator)}",
            getattr(figures, key),
            is_rate=True,
        )
        for key, label, numerator, denominator in CASEWORK_RATES
    ]
    rows += [CaseworkRow(key, str(label), str(getattr(figures, key))) for key, label in CASEWORK_COUNTS]
    overdue = _(
        "Overdue on %(date)s (disputes %(disputes)s · petitions %(petitions)s · agency %(agency)s)"
    ) % {
        "date": figures.overdue_on.isoformat(),
        "disputes": figures.overdue_disputes,
        "petitions": figures.overdue_petitions,
        "agency": figures.overdue_agency,
    }
    rows.append(CaseworkRow("overdue", overdue, str(figures.overdue)))
    return rows


def _ranked(figures: list[Figures]) -> list[Figures]:
    return sorted(figures, key=lambda item: (item.overall_rate is None, -(item.overall_rate or 0)))


def children_figures(*, scope: Scope, region: Region, period: Period) -> list[Figures]:
    """The figures of each child of ``region`` as ``scope`` sees them, best first (the ranking and map)."""
    children = list(region_children(region))
    rows = scoped_rates(scope=scope, regions=children, periods=[period])
    thresholds = thresholds_for(period)
    return _ranked(
        [
            Figures(
                child,
                rows.get((child.pk, period.key, Group.VILLAGE)),
                rows.get((child.pk, period.key, Group.UNIT)),
                thresholds=thresholds,
            )
            for child in children
        ]
    )


def _limited(scope: Scope) -> bool:
    return scope.department is not None and not scope.everything


def dashboard_for(*, scope: Scope, region: Region, period: Period) -> Dashboard:
    own = scoped_rates(scope=scope, regions=[region], periods=[period])
    board = Dashboard(
        region=region,
        period=period,
        scope=scope,
        village=own.get((region.pk, period.key, Group.VILLAGE)),
        unit=own[(region.pk, period.key, Group.UNIT)],
    )
    board.children = children_figures(scope=scope, region=region, period=period)
    _against_targets(board)
    if not _limited(scope):
        thresholds = board.children[0].thresholds if board.children else thresholds_for(period)
        board.departments = _ranked(
            [
                Figures(
                    None,
                    None,
                    row,
                    label=row.department_name or "",
                    code=row.department_code or "",
                    thresholds=thresholds,
                )
                for row in rates_for(scope=scope, region=region, period=period, by="department")
            ]
        )
        board.disputes = dispute_rate(region=region, period=period)
    events = Event.objects.filter(
        scope.subject_q("subject__"),
        subtree_q(region.path, via="subject__region__"),
        occurred_on__range=(period.start, period.end),
    )
    counts = dict(events.values_list("type").annotate(count=Count("id")).order_by())
    board.events_by_type = [(label, counts.get(value, 0)) for value, label in EventType.choices]
    board.trend = _trend(scope, region, period)
    if scope.sees_business_data:
        board.casework = case_figures(scope=scope, region=region, period=period)
        board.fieldwork = fieldwork_figures(scope=scope, region=region, period=period)
    return board


def _against_targets(board: Dashboard) -> None:
    """Each group's 达标率 of the region and of its children against its target and last year (issue 16)."""
    from sanling.targets.selectors import dashboard_comparisons

    figures = [(board.region, {Group.VILLAGE: board.village, Group.UNIT: board.unit})]
    figures += [
        (item.region, {Group.VILLAGE: item.village, Group.UNIT: item.unit}) for item in board.children
    ]
    compared = dashboard_comparisons(
        scope=board.scope, region=board.region, period=board.period, figures=figures
    )
    board.against = compared.get(board.region.pk, {})
    for item in board.children:
        item.against = compared.get(item.region.pk, {})


def _trend(scope: Scope, region: Region, period: Period) -> dict[str, list]:
    """Monthly 达标率 of the period's year for both groups (a department user: its units only)."""
    today = timezone.localdate()
    months = [Period.month(period.year, month) for month in range(1, 13)]
    begun = [month for month in months if month.start <= today]
    rows = scoped_rates(scope=scope, regions=[region], periods=begun)
    trend: dict[str, list] = {"months": [f"{month.start.month}月" for month in months]}
    for group in (Group.UNIT,) if _limited(scope) else (Group.VILLAGE, Group.UNIT):
        trend[group] = []
        for month in months:
            row = rows.get((region.pk, month.key, group))
            trend[group].append(float(row.rate) if row and row.rate is not None else None)
    return trend


GROUP_NAMES = {Group.VILLAGE: "村社区", Group.UNIT: "企事业"}


def map_features(region: Region, figures: list[Figures]) -> dict:
    """A GeoJSON FeatureCollection of the children that have an outline, with their rate, whose rate it is
    (村社区 or 企事业) and its colour."""
    by_id = {item.region.pk: item for item in figures if item.region}
    thresholds = next((item.thresholds for item in figures if item.thresholds is not None), None)
    if thresholds is None:
        thresholds = thresholds_on(timezone.localdate())
    features = []
    for boundary in RegionBoundary.objects.filter(region__parent=region).select_related("region"):
        item = by_id.get(boundary.region_id)
        group, rate = item.rated_group if item else (None, None)
        features.append(
            {
                "type": "Feature",
                "geometry": boundary.geometry,
                "properties": {
                    "name": boundary.region.name,
                    "code": boundary.region.code,
                    "rate": float(rate) if rate is not None else None,
                    "group": GROUP_NAMES.get(group, ""),
                    "level": warning_level(rate, group, thresholds=thresholds),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
