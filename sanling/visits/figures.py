"""Household-visit figures per region and period, from the records: 走访户数 (distinct households visited),
走访人次 (persons met, summed), the households the region has, and 覆盖率 = visited ÷ households.

郾城区: "该区共走访6万余户，累计走访13万余人次" — the first is ``households_visited``, the second
``person_visits``. One aggregate query over the visits (by the index on day and region) and one over the
counts. A household is one ``household_key`` (its region's code and its normalised house number), so
visiting it twice counts it once.

Households in a region: the latest count (as of the period's last day) of each counted region in the
subtree; where a region and one below it are both counted, the higher one is used, so a village counted as a
whole and grid by grid is not counted twice.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import rate_percent
from sanling.regions.models import Region, subtree_q

from .models import HouseholdCount, HouseholdVisit


@dataclass(frozen=True)
class HouseholdVisitFigures:
    """The 走访 figures of one region's subtree for one period. ``coverage_rate`` is a percentage with two
    decimals, None when no households are counted."""

    region_code: str
    region_name: str
    period: str
    visits: int
    households_visited: int  # 走访户数: distinct households
    person_visits: int  # 走访人次
    households: int  # 辖区户数 (latest counts as of the period's end)
    coverage_rate: Decimal | None  # 覆盖率 = households_visited ÷ households

    def rows(self) -> list[tuple[str, object]]:
        rate = "—" if self.coverage_rate is None else f"{self.coverage_rate}%"
        return [
            (_("Households visited"), self.households_visited),
            (_("Person-visits (人次)"), self.person_visits),
            (_("Households in the region"), self.households),
            (_("Coverage"), rate),
        ]

    def as_dict(self) -> dict:
        data = asdict(self)
        return {key: float(value) if isinstance(value, Decimal) else value for key, value in data.items()}


def visits_in(region: Region, period: Period, scope: Scope | None = None, theme: str = ""):
    """The visits of ``region``'s subtree in ``period`` (of ``theme`` if given) that ``scope`` may see
    (None: all)."""
    rows = HouseholdVisit.objects.filter(
        subtree_q(region.path, via="region__"), visited_on__range=(period.start, period.end)
    )
    if theme:
        rows = rows.filter(theme=theme)
    return rows.filter(scope.region_q()) if scope is not None else rows


def count_rows(region: Region, day: datetime.date, scope: Scope | None = None) -> list[tuple[str, int]]:
    """(path, households) of every counted region in ``region``'s subtree: its latest count as of ``day``,
    in path order (a parent before its children). One query."""
    counts = HouseholdCount.objects.filter(subtree_q(region.path, via="region__"), as_of__lte=day)
    if scope is not None:
        counts = counts.filter(scope.region_q())
    newest = counts.filter(region=OuterRef("region")).order_by("-as_of").values("as_of")[:1]
    return sorted(counts.filter(as_of=Subquery(newest)).values_list("region__path", "households"))


def topmost(rows: list[tuple[str, int]], under: str = "") -> dict[str, int]:
    """Of ``rows`` (in path order) under the path ``under``, those no counted region above them covers."""
    kept: dict[str, int] = {}
    for path, households in rows:
        # A region's ancestors are the prefixes of its path ("/41…/4111…/…/"): a lookup each, not a scan of
        # every region kept so far (at a province's 52,000 counted villages that scan took a minute).
        if path.startswith(under) and not any(upper in kept for upper in _ancestor_paths(path)):
            kept[path] = households
    return kept


def _ancestor_paths(path: str) -> list[str]:
    """The paths of the regions above the one at ``path``."""
    ends = [index for index, char in enumerate(path) if char == "/"][1:-1]
    return [path[: end + 1] for end in ends]


def latest_counts(region: Region, day: datetime.date, scope: Scope | None = None) -> dict[str, int]:
    """Region path -> households, of the counted regions in ``region``'s subtree that no counted region
    above them (in the subtree) covers: each one's latest count as of ``day``. One query."""
    return topmost(count_rows(region, day, scope))


def households_in(region: Region, day: datetime.date, scope: Scope | None = None) -> int:
    return sum(latest_counts(region, day, scope).values())


def household_visit_figures(
    *, region: Region, period: Period, scope: Scope | None = None, today: datetime.date | None = None
) -> HouseholdVisitFigures:
    """The figures of ``region``'s subtree for ``period`` as ``scope`` may see them. Two queries."""
    totals = visits_in(region, period, scope).aggregate(
        visits=Count("pk"),
        households=Count("household_key", distinct=True),
        persons=Sum("persons_met"),
    )
    day = min(period.end, today) if today else period.end
    households = households_in(region, day, scope)
    return HouseholdVisitFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        visits=totals["visits"],
        households_visited=totals["households"],
        person_visits=totals["persons"] or 0,
        households=households,
        coverage_rate=rate_percent(totals["households"], households),
    )


def household_visit_breakdown(
    *,
    region: Region,
    period: Period,
    scope: Scope | None = None,
    today: datetime.date | None = None,
    theme: str = "",
) -> list[HouseholdVisitFigures]:
    """The figures of each child region of ``region`` (its towns, villages or grids), in code order, for
    the pages' selector, led by a row of ``region`` itself when visits were placed at it directly (a village
    visited household by household without grids); that row's households are not counted apart (the
    region's count covers its children too). Three queries whatever the number of children: the visits
    grouped by the region they stand in (a household lies in one region, so its distinct count adds up
    exactly), folded into the children by path."""
    children = list(Region.objects.filter(parent=region).order_by("code"))
    per_region = (
        visits_in(region, period, scope, theme)
        .values("region__path")
        .annotate(
            visits=Count("pk"), households=Count("household_key", distinct=True), persons=Sum("persons_met")
        )
        .order_by()
    )
    day = min(period.end, today) if today else period.end
    counted = count_rows(region, day, scope)
    sums = {child.path: [0, 0, 0, 0] for child in children}
    own = [0, 0, 0, 0]
    for row in per_region:
        total = next(
            (sums[child.path] for child in children if row["region__path"].startswith(child.path)), own
        )
        total[0] += row["visits"]
        total[1] += row["households"]
        total[2] += row["persons"] or 0
    for child in children:
        sums[child.path][3] = sum(topmost(counted, child.path).values())
    rows = [
        HouseholdVisitFigures(
            region_code=child.code,
            region_name=child.name,
            period=period.key,
            visits=sums[child.path][0],
            households_visited=sums[child.path][1],
            person_visits=sums[child.path][2],
            households=sums[child.path][3],
            coverage_rate=rate_percent(sums[child.path][1], sums[child.path][3]),
        )
        for child in children
    ]
    if own[0]:
        rows.insert(
            0,
            HouseholdVisitFigures(
                region_code=region.code,
                region_name=_("%(region)s itself") % {"region": region.name},
                period=period.key,
                visits=own[0],
                households_visited=own[1],
                person_visits=own[2],
                households=0,
                coverage_rate=None,
            ),
        )
    return rows
