"""The registry of computable 考核 indicators: each key names a figure the engine or a domain already
computes for a town, or for a department's units in the county, over a period. An indicator set may only
name keys of this registry (and only those that apply to what it scores).

| key | figure | towns | departments | target asked for (``targets.selectors.target_value``) |
| --- | --- | --- | --- | --- |
| rate_village | 达标率 村（社区） (``assessment.selectors.rates_for``) | yes | — | rate, group village |
| rate_unit | 达标率 企事业单位 (``rates_for`` / ``department_rows``) | yes | yes | rate, group unit |
| dispute_rate | 矛盾纠纷化解率 (``assessment.selectors.dispute_rate`` / ``work.figures.case_figures``) | yes | yes | dispute_resolution |
| hazard_rate | 隐患整改率 (``hazards.figures.hazard_figures``) | yes | yes | hazard_rectification |
| visit_rate | 重点人群回访完成率 (``keypeople.figures.key_visit_figures``) | yes | — | visit_completion |
| assignment_rate | 交办按时办结率: given in the period and not overdue (neither open past the deadline nor done late) ÷ given (``assignments.selectors.assignment_figures``) | yes | yes | — |
| red_warnings | 无红色预警: subjects red on the period's last day (``alerts.selectors.subject_warnings``), a count | yes | yes | — |
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from sanling.accounts.models import Role
from sanling.accounts.scope import Scope
from sanling.alerts.selectors import subject_warnings
from sanling.assessment.periods import Period
from sanling.assessment.selectors import department_rows, dispute_rate, rate_percent, rates_for
from sanling.assignments.selectors import assignment_figures
from sanling.departments.models import Department
from sanling.hazards.figures import hazard_figures
from sanling.keypeople.figures import key_visit_figures
from sanling.regions.models import Region
from sanling.subjects.models import Group
from sanling.work.figures import case_figures, overdue_day

from .models import Mapping, Target


def _units_of(department: Department) -> Scope:
    """A department's view of the figures: its own units (what ``hazard_figures`` reads a scope for)."""
    return Scope(role=Role.DEPARTMENT_USER, region=None, department=department)


def _rate(group: str):
    def compute(region: Region, period: Period, department: Department | None, today) -> Decimal | None:
        if department is not None:
            rows = department_rows(region=region, period=period, department=department)
            return rows[0].rate if rows else None
        rows = rates_for(scope=None, region=region, period=period, group=group)
        return rows[0].rate if rows else None

    return compute


def _disputes(region, period, department, today):
    if department is None:
        return dispute_rate(region=region, period=period)[2]
    return case_figures(region=region, period=period, department=department, today=today).dispute_rate


def _hazards(region, period, department, today):
    scope = _units_of(department) if department is not None else None
    return hazard_figures(region=region, period=period, scope=scope, today=today).rectify_rate


def _visits(region, period, department, today):
    return key_visit_figures(region=region, period=period, today=today).completion_rate


def _assignments(region, period, department, today):
    given = assignment_figures(region=region, period=period, department=department)
    return rate_percent(given.total - given.overdue, given.total)


def _red(region, period, department, today):
    on = overdue_day(period, today=today)
    warnings = subject_warnings(region=region, on=on, colour="red")
    if department is not None:
        warnings = [warning for warning in warnings if warning.department_id == department.pk]
    return Decimal(len([warning for warning in warnings if warning.colour == "red"]))


@dataclass(frozen=True)
class IndicatorKind:
    key: str
    label: str
    targets: tuple[str, ...]  # Target values it applies to
    mapping: str  # the default mapping
    compute: Callable[[Region, Period, Department | None, datetime.date | None], Decimal | None]
    target_indicator: str = ""  # the targets app's indicator for the bar ("" : none)
    target_group: str = ""  # the group a rate target is set for ("" : the scored side's)
    percent: bool = True  # a rate in %, or a count


BOTH = (Target.TOWNS, Target.DEPARTMENTS)
REGISTRY: dict[str, IndicatorKind] = {
    kind.key: kind
    for kind in (
        IndicatorKind(
            "rate_village",
            _("Compliance rate, villages and communities"),
            (Target.TOWNS,),
            Mapping.LINEAR,
            _rate(Group.VILLAGE),
            "rate",
            Group.VILLAGE,
        ),
        IndicatorKind(
            "rate_unit",
            _("Compliance rate, enterprises and institutions"),
            BOTH,
            Mapping.LINEAR,
            _rate(Group.UNIT),
            "rate",
            Group.UNIT,
        ),
        IndicatorKind(
            "dispute_rate",
            _("Dispute resolution rate"),
            BOTH,
            Mapping.LINEAR,
            _disputes,
            "dispute_resolution",
        ),
        IndicatorKind(
            "hazard_rate",
            _("Hazard rectification rate"),
            BOTH,
            Mapping.LINEAR,
            _hazards,
            "hazard_rectification",
        ),
        IndicatorKind(
            "visit_rate",
            _("Key-population visit completion rate"),
            (Target.TOWNS,),
            Mapping.LINEAR,
            _visits,
            "visit_completion",
        ),
        IndicatorKind("assignment_rate", _("Assignments done on time"), BOTH, Mapping.LINEAR, _assignments),
        IndicatorKind("red_warnings", _("No red warning"), BOTH, Mapping.ZERO, _red, percent=False),
    )
}


def kinds_for(target: str) -> list[IndicatorKind]:
    return [kind for kind in REGISTRY.values() if target in kind.targets]
