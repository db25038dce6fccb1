"""Reads of the assessment: 达标率 by region, group, department and category, a subject's status and why."""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.departments.models import Department
from sanling.events.models import Event
from sanling.regions.models import LEVEL_RANK, Region, subtree_q
from sanling.regions.selectors import region_children
from sanling.subjects.models import Group, Subject, SubjectPlacement

from .engine import TOWN_RANK, RegionLineage, contributions, is_active, policies_for
from .models import (
    COUNT_FIELDS,
    ZEROS,
    AssessedYear,
    CategoryRollup,
    DepartmentRollup,
    DisputeRollup,
    RegionRollup,
)
from .periods import Period, earliest_date
from .rebuild import compute_periods
from .services import assessment_year_open

BY_CHOICES = ("self", "child", "department", "category")
HUNDRED = Decimal(100)


def rate_percent(compliant: int, active: int) -> Decimal | None:
    """compliant ÷ active as a percentage rounded half-up to two decimals (166 of 183 -> 90.71)."""
    if not active:
        return None
    return (Decimal(compliant) * HUNDRED / Decimal(active)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class RateRow:
    region_code: str
    region_name: str
    period: str
    group: str
    active: int
    compliant: int
    rate: Decimal | None
    broke_petition: int
    broke_accident: int
    broke_case: int
    department_code: str | None = None
    department_name: str | None = None
    category: str | None = None

    def as_dict(self) -> dict:
        data = asdict(self)
        for optional in ("department_code", "department_name", "category"):
            if data[optional] is None:
                del data[optional]
        return data


def year_assessed(year: int, *, today: datetime.date | None = None) -> bool:
    """Whether ``year``'s rollups are stored — opening the year (computing and storing them once) the first
    time a year between the earliest year and this one is asked for. A year no event has been recorded in
    yet is opened here once, rather than computed from raw rows on every read (6–11 s a read for a
    province).
    Years outside that range are never stored; their figures are computed when asked for."""
    if AssessedYear.objects.filter(year=year).exists():
        return True
    today = today or timezone.localdate()
    if not earliest_date().year <= year <= today.year:
        return False
    assessment_year_open(year=year)  # waits for, and then skips, an opening already under way
    return True


def _stored_and_computed(periods: list[Period]) -> tuple[list[Period], list[Period]]:
    assessed = {year for year in {period.year for period in periods} if year_assessed(year)}
    return (
        [period for period in periods if period.year in assessed],
        [period for period in periods if period.year not in assessed],
    )


def _row(region: Region, period: Period, group: str, counts: list[int], **extra) -> RateRow:
    values = dict(zip(COUNT_FIELDS, counts, strict=True))
    return RateRow(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        group=group,
        rate=rate_percent(values["compliant"], values["active"]),
        **values,
        **extra,
    )


def _group_counts(regions: list[Region], periods: list[Period]) -> dict[tuple[int, str, str], list[int]]:
    """(region id, period key, group) -> counts of both groups of ``regions``: one read of exactly those
    rollup rows for stored years."""
    ids = {node.pk for node in regions}
    stored, computed = _stored_and_computed(periods)
    counts: dict[tuple[int, str, str], list[int]] = {}
    if stored:
        rows = RegionRollup.objects.filter(
            region_id__in=ids, period__in=[period.key for period in stored]
        ).values_list("region_id", "period", "group", *COUNT_FIELDS)
        for region_id, period_key, group, *values in rows:
            counts[(region_id, period_key, group)] = values
    if computed:
        for key, values in compute_periods(computed).regions.items():
            if key[0] in ids:
                counts[key] = list(values)
    return counts


def _unit_counts(
    regions: list[Region], periods: list[Period], by: str, only: int | None = None
) -> dict[tuple, list[int]]:
    """(department id or category, region id, period key) -> counts of the units of ``regions``, only
    department ``only`` if given. Stored for towns and above (one read of those rows); computed from the
    subjects placed below for villages and grids, in one pass for all of them."""
    upper = [node for node in regions if LEVEL_RANK[node.level] <= TOWN_RANK]
    lower = [node for node in regions if LEVEL_RANK[node.level] > TOWN_RANK]
    counts: dict[tuple, list[int]] = {}
    if upper:
        ids = {node.pk for node in upper}
        model, key_field = (
            (DepartmentRollup, "department_id") if by == "department" else (CategoryRollup, "category")
        )
        stored, computed = _stored_and_computed(periods)
        if stored:
            rows = model.objects.filter(region_id__in=ids, period__in=[period.key for period in stored])
            if only is not None:
                rows = rows.filter(**{key_field: only})
            for key, region_id, period_key, *values in rows.values_list(
                key_field, "region_id", "period", *COUNT_FIELDS
            ):
                counts[(key, region_id, period_key)] = values
        if computed:
            totals = compute_periods(computed)
            table = totals.departments if by == "department" else totals.categories
            for key, values in table.items():
                if key[1] in ids and (only is None or key[0] == only) and any(values):
                    counts[key] = list(values)
    if lower:
        counts.update(_unit_counts_below_town(lower, periods, by, only))
    return counts


def _unit_counts_below_town(
    regions: list[Region], periods: list[Period], by: str, only: int | None
) -> dict[tuple, list[int]]:
    """Department or category figures inside villages or grids, from the subjects placed there."""
    inside = Q()
    for node in regions:
        inside |= subtree_q(node.path, via="region__")
    placements = SubjectPlacement.objects.filter(inside)
    if by == "department" and only is not None:
        placements = placements.filter(department_id=only)
    parts = contributions(set(placements.values_list("subject_id", flat=True)), periods)
    lineage = RegionLineage({part.leaf[0] for part in parts.values()})
    by_key = {period.key: period for period in periods}
    wanted = {node.pk for node in regions}
    result: dict[tuple, list[int]] = defaultdict(lambda: [0] * 5)
    for (_subject_id, period_key), part in parts.items():
        region_id, department_id, group, category = part.leaf
        key = department_id if by == "department" else category
        if group != Group.UNIT or not key or (only is not None and key != only):
            continue
        for ancestor_id, _rank in lineage.ancestors(region_id, by_key[period_key].end):
            if ancestor_id in wanted:
                for index, value in enumerate(part.counts):
                    result[(key, ancestor_id, period_key)][index] += value
    return dict(result)


def scoped_rates(
    *, scope: Scope | None, regions: list[Region], periods: list[Period]
) -> dict[tuple[int, str, str], RateRow]:
    """(region id, period key, group) -> the figures of each region in each period as ``scope`` may see
    them (None: everything): both groups, or a department user's own units only. A bounded number of
    queries whatever the number of regions and periods."""
    rows = {}
    department = _department_of(scope)
    if department is None:
        counts = _group_counts(regions, periods)
        for node in regions:
            for period in periods:
                for group in (Group.VILLAGE, Group.UNIT):
                    rows[(node.pk, period.key, group)] = _row(
                        node, period, group, counts.get((node.pk, period.key, group), [0] * 5)
                    )
        return rows
    counts = _unit_counts(regions, periods, "department", only=department.pk)
    for node in regions:
        for period in periods:
            values = counts.get((department.pk, node.pk, period.key), [0] * 5)
            rows[(node.pk, period.key, Group.UNIT)] = _row(node, period, Group.UNIT, values)
    return rows


def _department_of(scope: Scope | None) -> Department | None:
    """The department a scope is limited to (its figures are its units' only), or None."""
    if scope is None or scope.everything:
        return None
    return scope.department


def region_rates(
    *, region: Region, period: Period, by: str = "self", group: str | None = None
) -> list[RateRow]:
    """The figures of ``region`` itself, of each of its children, or of its units by department or category."""
    return rates_for(scope=None, region=region, period=period, by=by, group=group)


def rates_for(
    *, scope: Scope | None, region: Region, period: Period, by: str = "self", group: str | None = None
) -> list[RateRow]:
    """``region_rates`` as ``scope`` may see them: a department user gets its own units' rows only."""
    department = _department_of(scope)
    if by in ("department", "category"):
        if department is not None and (by == "category" or group == Group.VILLAGE):
            return []
        return department_rows(region=region, period=period, by=by, department=department)
    regions = [region] if by == "self" else list(region_children(region))
    rows = scoped_rates(scope=scope, regions=regions, periods=[period])
    groups = [group] if group else [Group.VILLAGE, Group.UNIT]
    return [
        rows[(node.pk, period.key, group_key)]
        for node in regions
        for group_key in groups
        if (node.pk, period.key, group_key) in rows
    ]


def department_rows(
    *, region: Region, period: Period, by: str = "department", department: Department | None = None
) -> list[RateRow]:
    """The units of ``region`` by department (only ``department``'s if given) or by category."""
    counts = _unit_counts([region], [period], by, only=department.pk if department else None)
    rows = []
    if by == "department":
        departments = Department.objects.in_bulk([key for key, _region, _period in counts])
        for key in sorted(counts, key=lambda key: departments[key[0]].code):
            chosen = departments[key[0]]
            rows.append(
                _row(
                    region,
                    period,
                    Group.UNIT,
                    counts[key],
                    department_code=chosen.code,
                    department_name=chosen.name,
                )
            )
    else:
        for key in sorted(counts):
            rows.append(_row(region, period, Group.UNIT, counts[key], category=key[0]))
    return rows


def dispute_rate(*, region: Region, period: Period) -> tuple[int, int, Decimal | None]:
    """(registered, resolved, 化解率 %) of disputes registered in ``period`` in ``region``'s subtree."""
    stored, _computed = _stored_and_computed([period])
    if stored:
        found = (
            DisputeRollup.objects.filter(region_id=region.pk, period=period.key)
            .values_list("registered", "resolved")
            .first()
        )
        registered, resolved = found or (0, 0)
    else:
        registered, resolved = compute_periods([period]).disputes.get((region.pk, period.key), [0, 0])
    return registered, resolved, rate_percent(resolved, registered)


def default_period(*, today: datetime.date | None = None) -> Period:
    """The period every screen opens on: the current calendar year, whatever has been recorded in it
    (last year is one click away in the period menu), or the year the deployment pins
    (``SANLING_LANDING_YEAR``; never one that has not begun)."""
    this_year = (today or timezone.localdate()).year
    return Period.of_year(min(settings.LANDING_YEAR or this_year, this_year))


def assessable_years(*, today: datetime.date | None = None) -> list[int]:
    """The years figures may be asked for, newest first: from the earliest year on record to this one."""
    return list(range((today or timezone.localdate()).year, earliest_date().year - 1, -1))


@dataclass
class SubjectStatus:
    """Whether a subject held each zero in a period, and the events that broke it."""

    subject: Subject
    period: Period
    active: bool
    breaking: dict[str, list[Event]] = field(default_factory=dict)

    @property
    def compliant(self) -> bool | None:
        return None if not self.active else not any(self.breaking.values())

    def holds(self, zero: str) -> bool:
        return not self.breaking.get(zero)


def subject_status(*, subject: Subject, period: Period) -> SubjectStatus:
    """Answer "why is this subject not 达标 in this period?" with the events under the policy in force."""
    policy = policies_for([period])[period.key]
    status = SubjectStatus(subject, period, is_active(subject.joined_on, subject.retired_on, period))
    events = Event.objects.filter(subject=subject, occurred_on__range=(period.start, period.end))
    for zero in ZEROS:
        status.breaking[zero] = list(events.filter(policy.breaking_q(zero)).order_by("occurred_on", "ref"))
    return status
