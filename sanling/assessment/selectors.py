"""Reads of the assessment: 达标率 by region, group, department and category, a subject's status and why."""

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sanling.departments.models import Department
from sanling.events.models import Event
from sanling.regions.models import LEVEL_RANK, Level, Region
from sanling.subjects.models import Group, Subject, SubjectPlacement

from .engine import RegionLineage, Totals, contributions, is_active, policies_for
from .models import COUNT_FIELDS, ZEROS, AssessedYear, RegionRollup
from .periods import Period
from .rebuild import compute_periods
from .store import stored_totals

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


def period_totals(period: Period) -> Totals:
    """The rollups of one period: maintained ones for an assessed year, else computed from raw rows."""
    if AssessedYear.objects.filter(year=period.year).exists():
        return stored_totals({period.key})
    return compute_periods([period])


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


def region_rates(
    *, region: Region, period: Period, by: str = "self", group: str | None = None
) -> list[RateRow]:
    """The figures of ``region`` itself, of each of its children, or of its units by department or category."""
    groups = [group] if group else [Group.VILLAGE, Group.UNIT]
    if by in ("department", "category"):
        return _breakdown(region, period, by)
    regions = [region] if by == "self" else list(Region.objects.filter(parent=region).order_by("code"))
    totals = _totals_for(period, {node.pk for node in regions})
    rows = []
    for node in regions:
        for group_key in groups:
            counts = totals.regions.get((node.pk, period.key, group_key), [0] * 5)
            rows.append(_row(node, period, group_key, counts))
    return rows


def _totals_for(period: Period, region_ids: set[int]) -> Totals:
    if AssessedYear.objects.filter(year=period.year).exists():
        totals = Totals()
        rows = RegionRollup.objects.filter(period=period.key, region_id__in=region_ids).values_list(
            "region_id", "group", *COUNT_FIELDS
        )
        for region_id, group_key, *counts in rows:
            totals.regions[(region_id, period.key, group_key)] = counts
        return totals
    return compute_periods([period])


def _breakdown(region: Region, period: Period, by: str) -> list[RateRow]:
    if LEVEL_RANK[region.level] <= LEVEL_RANK[Level.TOWN]:
        totals = period_totals(period)
        table = totals.departments if by == "department" else totals.categories
        counts_by_key = {
            key[0]: counts for key, counts in table.items() if key[1] == region.pk and key[2] == period.key
        }
    else:
        counts_by_key = _breakdown_below_town(region, period, by)
    rows = []
    if by == "department":
        departments = Department.objects.in_bulk(list(counts_by_key))
        for department_id in sorted(counts_by_key, key=lambda pk: departments[pk].code):
            department = departments[department_id]
            rows.append(
                _row(
                    region,
                    period,
                    Group.UNIT,
                    counts_by_key[department_id],
                    department_code=department.code,
                    department_name=department.name,
                )
            )
    else:
        for category in sorted(counts_by_key):
            rows.append(_row(region, period, Group.UNIT, counts_by_key[category], category=category))
    return rows


def _breakdown_below_town(region: Region, period: Period, by: str) -> dict:
    """Department or category figures inside a village or grid, from the subjects placed there."""
    subject_ids = set(
        SubjectPlacement.objects.filter(region__path__startswith=region.path).values_list(
            "subject_id", flat=True
        )
    )
    parts = contributions(subject_ids, [period])
    lineage = RegionLineage({part.leaf[0] for part in parts.values()})
    result: dict = defaultdict(lambda: [0] * 5)
    for part in parts.values():
        region_id, department_id, group, category = part.leaf
        if group != Group.UNIT or region.pk not in {
            pk for pk, _rank in lineage.ancestors(region_id, period.end)
        }:
            continue
        key = department_id if by == "department" else category
        if key:
            for index, value in enumerate(part.counts):
                result[key][index] += value
    return result


def dispute_rate(*, region: Region, period: Period) -> tuple[int, int, Decimal | None]:
    """(registered, resolved, 化解率 %) of disputes registered in ``period`` in ``region``'s subtree."""
    registered, resolved = period_totals(period).disputes.get((region.pk, period.key), [0, 0])
    return registered, resolved, rate_percent(resolved, registered)


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
