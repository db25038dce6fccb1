"""Reads of targets. ``target_value`` is what the dashboard, the reviews and the reports ask; ``against_target``
puts a figure against its target and against the same period last year, so they all compute it alike.

A target set for a region holds for its whole subtree unless a region below sets its own: the value in force
is that of the nearest region on the path from the region up to the root. At the same region, a target set
for the group beats one set for every group (blank group); one set nearer always wins.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanling.accounts.scope import Scope
from sanling.assessment.models import AssessedYear, RegionRollup
from sanling.assessment.periods import Period, earliest_date
from sanling.assessment.selectors import rate_percent, scoped_rates
from sanling.regions.models import Region, codes_in_path, subtree_q

from .models import Indicator, Target

# The indicators a target can be set for: 达标率 per group, and the county's others.
INDICATORS = ("rate", "dispute_resolution", "hazard_rectification", "visit_completion")
assert INDICATORS == tuple(Indicator.values)


class TargetTable:
    """Targets of one year read at once (one query), answering which is in force at any region whose path
    runs through the regions they were read for."""

    def __init__(self, rows):
        self.rows = list(rows)
        self._by_key = {(row.region.code, row.indicator, row.group): row for row in self.rows}

    def in_force(self, region: Region, *, group: str, indicator: str = "rate") -> Target | None:
        for code in reversed(codes_in_path(region.path)):
            for candidate in (group, "") if group else ("",):
                if (found := self._by_key.get((code, indicator, candidate))) is not None:
                    return found
        return None

    def value(self, region: Region, *, group: str, indicator: str = "rate") -> Decimal | None:
        found = self.in_force(region, group=group, indicator=indicator)
        return found.value if found is not None else None


def target_table(*, regions: list[Region], year: int, indicator: str | None = None) -> TargetTable:
    """The targets of ``year`` set at ``regions`` or any of their ancestors: one query however many."""
    codes = {code for region in regions for code in codes_in_path(region.path)}
    rows = Target.objects.filter(year=year, region__code__in=codes).select_related("region")
    if indicator:
        rows = rows.filter(indicator=indicator)
    return TargetTable(rows)


def target_value(*, region: Region, year: int, group: str, indicator: str = "rate") -> Decimal | None:
    """The target of ``indicator`` for ``group`` in ``region`` in ``year``: the region's own, else the
    nearest ancestor's (inherited down the tree); None where none is set. One query on the region's path."""
    return target_table(regions=[region], year=year, indicator=indicator).value(
        region, group=group, indicator=indicator
    )


# Reading ---------------------------------------------------------------------------------------------------


def targets_for(scope: Scope) -> QuerySet[Target]:
    """The targets a user may read: those set in their subtree and on the path above it (the ones they
    inherit). A department user reads those of the county its units stand in and above; the system and
    security administrators, who keep out of the campaign's data, none."""
    if scope.everything:
        return Target.objects.all()
    if not scope.sees_business_data:
        return Target.objects.none()
    if scope.region is not None:
        return Target.objects.filter(
            subtree_q(scope.region.path, via="region__") | Q(region__code__in=scope.region.ancestor_codes)
        )
    home = scope.home
    if home is None:
        return Target.objects.none()
    return Target.objects.filter(region__code__in=codes_in_path(home.path))


@dataclass(frozen=True)
class InForce:
    """A target in force at a region: its value and where it was set (the region itself or an ancestor)."""

    region: Region
    indicator: str
    group: str
    target: Target

    @property
    def inherited(self) -> bool:
        return self.target.region_id != self.region.pk

    @property
    def source(self) -> Region:
        return self.target.region

    @property
    def indicator_label(self) -> str:
        return Indicator(self.indicator).label

    @property
    def group_label(self) -> str:
        from sanling.subjects.models import Group

        return Group(self.group).label if self.group else _("All groups")


def _slot_order(slot: tuple[str, str]) -> tuple[int, str]:
    indicator, group = slot
    return INDICATORS.index(indicator), {"village": "0", "unit": "1"}.get(group, "2")


def targets_in_force(*, root: Region, year: int, below: bool = True) -> list[InForce]:
    """What holds in ``root`` and (``below``) each of its children and each region further down that sets a
    target of its own, in ``year``: one row per region and target, saying where each was set."""
    regions = [root]
    if below:
        own_below = Target.objects.filter(year=year).filter(
            subtree_q(root.path, via="region__"), region__depth__gt=root.depth + 1
        )
        regions += [
            *root.children.order_by("code"),
            *Region.objects.filter(pk__in=own_below.values("region")).order_by("path"),
        ]
    rows = list(
        Target.objects.filter(year=year)
        .filter(subtree_q(root.path, via="region__") | Q(region__code__in=root.ancestor_codes))
        .select_related("region")
    )
    table = TargetTable(rows)
    slots = sorted({(row.indicator, row.group) for row in rows}, key=_slot_order)
    listed = []
    for region in regions:
        for indicator, group in slots:
            found = table.in_force(region, group=group, indicator=indicator)
            if found is not None and (found.indicator, found.group) == (indicator, group):
                listed.append(InForce(region, indicator, group, found))
    return listed


# Against the target and last year ---------------------------------------------------------------------------


def _plain(number: Decimal) -> str:
    """80.00 -> "80", 10.70 -> "10.7", 0 -> "0"."""
    text = f"{number.normalize():f}"
    return "0" if text in ("-0", "") else text


@dataclass(frozen=True)
class Comparison:
    """A figure against its target and against the same period last year, in percentage points."""

    value: Decimal | None
    target: Decimal | None
    gap_points: Decimal | None  # value − target
    last_year_value: Decimal | None
    change_points: Decimal | None  # value − last year's

    @property
    def meets_target(self) -> bool | None:
        return None if self.gap_points is None else self.gap_points >= 0

    @property
    def target_text(self) -> str:
        """目标 80%，高出 10.71 个百分点 (or 低于 …, or 恰好达标); "" without a target."""
        if self.target is None:
            return ""
        if self.gap_points is None:
            return _("Target %(target)s%%") % {"target": _plain(self.target)}
        if self.gap_points > 0:
            message = _("Target %(target)s%%, %(gap)s points above")
        elif self.gap_points < 0:
            message = _("Target %(target)s%%, %(gap)s points below")
        else:
            message = _("Target %(target)s%%, met exactly")
        return message % {"target": _plain(self.target), "gap": _plain(abs(self.gap_points))}

    @property
    def target_label(self) -> str:
        """The target as written: "80", "85.5"; "" without one."""
        return _plain(self.target) if self.target is not None else ""

    @property
    def gap_text(self) -> str:
        """The gap alone, signed: "+10.71", "-3.5", "0"; "" without one."""
        return _signed(self.gap_points)

    @property
    def change_text(self) -> str:
        """较去年同期 +1.2; "" without last year's figure."""
        if self.change_points is None:
            return ""
        return _("%(change)s on the same period last year") % {"change": _signed(self.change_points)}

    @property
    def sentence(self) -> str:
        """目标 80%，高出 10.71 个百分点；较去年同期 +1.2"""
        return pgettext("between two clauses", "; ").join(
            part for part in (self.target_text, self.change_text) if part
        )


def _signed(number: Decimal | None) -> str:
    if number is None:
        return ""
    return f"+{_plain(number)}" if number > 0 else _plain(number)


def compare(*, value: Decimal | None, target: Decimal | None, last_year_value: Decimal | None) -> Comparison:
    """The comparison of figures already read (the dashboard reads them for many regions at once)."""
    return Comparison(
        value=value,
        target=target,
        gap_points=value - target if value is not None and target is not None else None,
        last_year_value=last_year_value,
        change_points=value - last_year_value if value is not None and last_year_value is not None else None,
    )


def same_period_last_year(period: Period) -> Period | None:
    """The period a year before ``period`` (2025-03 -> 2024-03), or None before the earliest year on record."""
    if period.kind == "month":
        earlier = Period.month(period.year - 1, period.start.month)
    elif period.kind == "quarter":
        earlier = Period.quarter(period.year - 1, int(period.key[-1]))
    else:
        earlier = Period.of_year(period.year - 1)
    return earlier if earlier.start >= earliest_date() else None


def last_year_rates(
    *, scope: Scope | None, regions: list[Region], period: Period, stored_only: bool = False
) -> dict[tuple[int, str], Decimal | None]:
    """(region id, group) -> the 达标率 of the same period last year as ``scope`` sees it, for all ``regions``
    at once (the assessment's bounded reads). With ``stored_only`` (the dashboard, whose page must not
    open a year's rollups as a side effect of showing another), nothing unless last year's rollups are
    stored already — as they are once anything was recorded in that year or it was shown once."""
    earlier = same_period_last_year(period)
    if earlier is None or not regions:
        return {}
    if stored_only and (scope is None or scope.everything or scope.department is None):
        # Every group's figures are stored per region: one read of last year's rows, absent if not stored.
        rows = RegionRollup.objects.filter(
            region_id__in=[region.pk for region in regions], period=earlier.key
        ).values_list("region_id", "group", "compliant", "active")
        return {
            (region_id, group): rate_percent(compliant, active)
            for region_id, group, compliant, active in rows
        }
    if stored_only and not AssessedYear.objects.filter(year=earlier.year).exists():
        return {}
    rows = scoped_rates(scope=scope, regions=regions, periods=[earlier])
    return {(region_id, group): row.rate for (region_id, _key, group), row in rows.items()}


def against_target(
    *,
    region: Region,
    period: Period,
    group: str,
    indicator: str = "rate",
    value: Decimal | None,
    scope: Scope | None = None,
) -> Comparison:
    """``value`` (the figure of ``indicator`` for ``group`` in ``region`` and ``period``) against the target
    in force for the period's year and, for the 达标率, against the same period last year (from the
    assessment, as ``scope`` sees it; None: everything)."""
    target = target_value(region=region, year=period.year, group=group, indicator=indicator)
    last = None
    if indicator == Indicator.RATE:
        last = last_year_rates(scope=scope, regions=[region], period=period).get((region.pk, group))
    return compare(value=value, target=target, last_year_value=last)


def _readable(scope: Scope | None):
    """Whether ``scope`` may read a target (as ``targets_for``), without a query per target: a department
    user reads only those set on its county's path, so a town's own target is not shown to it."""
    if scope is None or scope.everything or scope.region is not None:
        return lambda target: True  # the board's regions and the path above them are the reader's own
    home = scope.home if scope.sees_business_data else None
    codes = set(codes_in_path(home.path)) if home is not None else set()
    return lambda target: target.region.code in codes


def _value_if(target: Target | None, readable) -> Decimal | None:
    return target.value if target is not None and readable(target) else None


# The dashboard ------------------------------------------------------------------------------------------------


def dashboard_comparisons(
    *, scope: Scope | None, region: Region, period: Period, figures: list[tuple[Region, dict[str, object]]]
) -> dict[int, dict[str, Comparison]]:
    """region id -> group -> the 达标率 against its target and the same period last year, for each
    (region, {group: RateRow or None}) of ``figures`` (the board's region and its children): three queries
    however many regions."""
    regions = [node for node, _rows in figures]
    table = target_table(regions=regions, year=period.year, indicator=Indicator.RATE)
    readable = _readable(scope)
    last = last_year_rates(scope=scope, regions=regions, period=period, stored_only=True)
    compared: dict[int, dict[str, Comparison]] = {}
    for node, rows in figures:
        compared[node.pk] = {
            group: compare(
                value=row.rate,
                target=_value_if(table.in_force(node, group=group), readable),
                last_year_value=last.get((node.pk, group)),
            )
            for group, row in rows.items()
            if row is not None and row.active
        }
    return compared
