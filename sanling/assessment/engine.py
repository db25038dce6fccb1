"""The one engine behind every 达标率: who counts where in a period, which zeros they broke, and how
that adds up over the region tree.

Two ways in, one set of rules:

* ``rebuild.rebuild`` (and ``rebuild.compute_periods`` for ``recompute --check``) rebuilds periods from raw
  rows inside the database (``sanling recompute``): one statement per period writes every active subject's
  facts, then one per rollup table sums them over the region tree.
* ``contributions`` (with ``dispute_contributions``) says what a handful of subjects add to every period;
  the live path, ``services.rollups_maintained``, takes it before and after a change and applies the
  difference through ``totals_of`` and ``store.totals_add``.

Both place a subject in a period by the same rule (``reference_day`` and ``placement_on`` here, the same
conditions in SQL there) and judge events by the same policy filter (``Policy.breaking_q``), and tests check
that they always agree.
"""

import bisect
import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q

from sanling.core.queries import filter_in
from sanling.disputes.models import Dispute, DisputeStatus
from sanling.events.models import Event
from sanling.regions.models import LEVEL_RANK, Level, Region, RegionHistory, codes_in_path
from sanling.subjects.models import Group, Subject, SubjectPlacement, group_of

from .models import DEFAULT_POLICY, ZEROS, Policy
from .periods import Period

TOWN_RANK = LEVEL_RANK[Level.TOWN]
EVERYTHING = Q()
STREAM_SUBJECTS = 1000  # the events of more subjects than this are read in chunks
# Leaf keys: (region_id, department_id, group, category). Counts: [active, compliant, petition, accident, case].
LeafKey = tuple[int, int | None, str, str]


def default_policy_restore() -> Policy:
    """Version 1 (the default policy of DESIGN.md), written by a migration; recreated if a database lost it
    (a flushed test database, a restore without data rows)."""
    return Policy.objects.create(
        version=1, effective_from=datetime.date(1900, 1, 1), note="默认政策", **DEFAULT_POLICY
    )


def policies_for(periods: Iterable[Period]) -> dict[str, Policy]:
    """Period key -> the policy version in force on the period's first day."""
    versions = list(Policy.objects.order_by("effective_from")) or [default_policy_restore()]
    starts = [policy.effective_from for policy in versions]
    chosen = {}
    for period in periods:
        index = bisect.bisect_right(starts, period.start) - 1
        if index < 0:
            raise LookupError(f"no compliance policy is in force on {period.start}")
        chosen[period.key] = versions[index]
    return chosen


def is_active(joined_on: datetime.date, retired_on: datetime.date | None, period: Period) -> bool:
    """A subject counts in every period it was part of the campaign for at least one day."""
    return joined_on <= period.end and (retired_on is None or retired_on >= period.start)


def reference_day(retired_on: datetime.date | None, period: Period) -> datetime.date:
    """The day whose placement a subject is counted at: the period's last day, or its retirement."""
    return retired_on if retired_on is not None and retired_on < period.end else period.end


def placement_on(placements: list[tuple], day: datetime.date) -> tuple | None:
    """The (region_id, department_id, valid_from, valid_to) row in force on ``day``."""
    for placement in placements:
        valid_from, valid_to = placement[2], placement[3]
        if (valid_from is None or valid_from <= day) and (valid_to is None or valid_to > day):
            return placement
    return None


class RegionLineage:
    """Ancestors of regions on a given day, honouring moves recorded in the region history."""

    def __init__(self, region_ids: Iterable[int] | None = None):
        self.history: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
        if region_ids is None:
            self.paths = dict(Region.objects.values_list("id", "path"))
            history = RegionHistory.objects.values_list("region_id", "valid_to", "path")
        else:
            # A few regions (the live path): their paths and history in one query.
            rows = list(
                filter_in(
                    Region.objects.values_list("id", "path", "history__valid_to", "history__path"),
                    "id",
                    region_ids,
                )
            )
            self.paths = {region_id: path for region_id, path, _to, _old in rows}
            history = [(region_id, valid_to, old) for region_id, _path, valid_to, old in rows if valid_to]
        for region_id, valid_to, path in history:
            self.history[region_id].append((valid_to, path))
        for rows in self.history.values():
            rows.sort()
        codes = {code for path in self.paths.values() for code in codes_in_path(path)}
        codes |= {
            code for rows in self.history.values() for _to, path in rows for code in codes_in_path(path)
        }
        levels = Region.objects.values_list("code", "id", "level")
        self.by_code = {
            code: (region_id, LEVEL_RANK[level])
            for code, region_id, level in (levels if region_ids is None else filter_in(levels, "code", codes))
        }
        self._cache: dict[tuple[int, datetime.date], tuple[tuple[int, int], ...]] = {}

    def ancestors(self, region_id: int, day: datetime.date) -> tuple[tuple[int, int], ...]:
        """(region_id, level rank) of the region and everything above it on ``day``."""
        key = (region_id, day)
        if key not in self._cache:
            path = self.paths[region_id]
            for valid_to, old_path in self.history.get(region_id, ()):
                if valid_to > day:
                    path = old_path
                    break
            self._cache[key] = tuple(
                self.by_code[code] for code in codes_in_path(path) if code in self.by_code
            )
        return self._cache[key]


@dataclass
class Totals:
    """Rollup rows of a set of periods, keyed the way the rollup tables are."""

    regions: dict[tuple[int, str, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * 5)
    )
    departments: dict[tuple[int, int, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * 5)
    )
    categories: dict[tuple[str, int, str], list[int]] = field(
        default_factory=lambda: defaultdict(lambda: [0] * 5)
    )
    disputes: dict[tuple[int, str], list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    def add_leaf(
        self, lineage: RegionLineage, period: Period, leaf: LeafKey, counts: list[int], sign: int = 1
    ) -> None:
        region_id, department_id, group, category = leaf
        for ancestor_id, rank in lineage.ancestors(region_id, period.end):
            _add(self.regions[(ancestor_id, period.key, group)], counts, sign)
            if group == Group.UNIT and rank <= TOWN_RANK:
                if department_id is not None:
                    _add(self.departments[(department_id, ancestor_id, period.key)], counts, sign)
                if category:
                    _add(self.categories[(category, ancestor_id, period.key)], counts, sign)

    def add_dispute(
        self, lineage: RegionLineage, period: Period, region_id: int, resolved: bool, sign: int = 1
    ) -> None:
        for ancestor_id, _rank in lineage.ancestors(region_id, period.end):
            _add(self.disputes[(ancestor_id, period.key)], [1, int(resolved)], sign)

    def pruned(self) -> "Totals":
        """Without the rows that add up to nothing (what a rebuild would not write)."""
        return Totals(
            *({key: value for key, value in table.items() if any(value)} for table in self.tables())
        )

    def tables(self) -> tuple[dict, dict, dict, dict]:
        return self.regions, self.departments, self.categories, self.disputes


def _add(target: list[int], counts: list[int], sign: int) -> None:
    for index, value in enumerate(counts):
        target[index] += sign * value


# --- What single subjects add (the live path) ------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """What one subject adds to one period: its leaf and [active, compliant, petition, accident, case]."""

    leaf: LeafKey
    counts: tuple[int, int, int, int, int]


def breach_days(
    subject_filter: Q, periods: list[Period], policies: dict[str, Policy], *, stream: bool = True
) -> dict[tuple[int, str], set[str]]:
    """(subject_id, period key) -> the zeros broken in that period, for subjects matching ``subject_filter``.

    ``stream`` reads the events in chunks (a server-side cursor on PostgreSQL); without it they are read in
    one go, which for the few events of a live update saves the cursor's two extra round trips."""
    broken: dict[tuple[int, str], set[str]] = defaultdict(set)
    by_policy: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        by_policy[policies[period.key].pk].append(period)
    for periods_of_policy in by_policy.values():
        policy = policies[periods_of_policy[0].key]
        start = min(period.start for period in periods_of_policy)
        end = max(period.end for period in periods_of_policy)
        rules = {zero: policy.breaking_q(zero) for zero in ZEROS}
        # One pass over the events: each row says which of the zeros it breaks.
        rows = (
            Event.objects.filter(subject_filter, occurred_on__range=(start, end))
            .filter(rules["petition"] | rules["accident"] | rules["case"])
            .annotate(
                **{zero: ExpressionWrapper(rule, output_field=BooleanField()) for zero, rule in rules.items()}
            )
            .values_list("subject_id", "occurred_on", *ZEROS)
            .order_by()
        )
        keys_of_day: dict[datetime.date, list[str]] = {}
        for subject_id, day, *breaks in rows.iterator(chunk_size=20_000) if stream else rows:
            zeros = {zero for zero, hit in zip(ZEROS, breaks, strict=True) if hit}
            if day not in keys_of_day:
                keys_of_day[day] = [period.key for period in periods_of_policy if period.contains(day)]
            for key in keys_of_day[day]:
                broken[(subject_id, key)] |= zeros
    return broken


def placements_of(subject_ids: Iterable[int] | None) -> dict[int, list[tuple]]:
    """Subject id -> its placements (region_id, department_id, valid_from, valid_to); None reads them all."""
    placements: dict[int, list[tuple]] = defaultdict(list)
    rows = SubjectPlacement.objects.values_list(
        "subject_id", "region_id", "department_id", "valid_from", "valid_to"
    )
    for subject_id, *placement in (
        rows.iterator(chunk_size=20_000)
        if subject_ids is None
        else filter_in(rows, "subject_id", subject_ids)
    ):
        placements[subject_id].append(tuple(placement))
    return placements


def _subject_rows(subject_ids: Iterable[int] | None) -> dict[int, tuple]:
    """Subject id -> (kind, category, joined_on, retired_on); None reads them all."""
    rows = Subject.objects.values_list("id", "kind", "category", "joined_on", "retired_on")
    return {
        row[0]: row[1:]
        for row in (
            rows.iterator(chunk_size=20_000) if subject_ids is None else filter_in(rows, "id", subject_ids)
        )
    }


@dataclass
class SubjectFacts:
    """What decides where subjects count: kind, category, dates, and their placements over time."""

    rows: dict[int, tuple[str, str, datetime.date, datetime.date | None]]
    placements: dict[int, list[tuple]]

    @classmethod
    def load(cls, subject_ids: set[int]) -> "SubjectFacts":
        return cls(_subject_rows(subject_ids), placements_of(subject_ids))


def contributions(
    subject_ids: Iterable[int],
    periods: list[Period],
    *,
    policies: dict[str, Policy] | None = None,
    facts: SubjectFacts | None = None,
) -> dict[tuple[int, str], Contribution]:
    """(subject_id, period key) -> what the subject adds to that period, for every period it is active in."""
    subject_ids = set(subject_ids)
    if not subject_ids or not periods:
        return {}
    policies = policies or policies_for(periods)
    facts = facts or SubjectFacts.load(subject_ids)
    broken = breach_days(
        Q(subject_id__in=subject_ids), periods, policies, stream=len(subject_ids) > STREAM_SUBJECTS
    )
    result = {}
    for subject_id, (kind, category, joined_on, retired_on) in facts.rows.items():
        for period in periods:
            if not is_active(joined_on, retired_on, period):
                continue
            placement = placement_on(facts.placements[subject_id], reference_day(retired_on, period))
            if placement is None:
                continue
            zeros = broken.get((subject_id, period.key), set())
            counts = (
                1,
                int(not zeros),
                int("petition" in zeros),
                int("accident" in zeros),
                int("case" in zeros),
            )
            leaf = (placement[0], placement[1], group_of(kind), category)
            result[(subject_id, period.key)] = Contribution(leaf, counts)
    return result


def dispute_contributions(
    subject_ids: Iterable[int], periods: list[Period]
) -> dict[tuple[int, str], tuple[int, bool]]:
    """(dispute_id, period key) -> (leaf region_id, resolved) for disputes of the subjects registered in a period."""
    subject_ids = set(subject_ids)
    if not subject_ids or not periods:
        return {}
    return dispute_rows(periods, Q(subject_id__in=subject_ids))


def dispute_rows(
    periods: list[Period], subject_filter: Q = EVERYTHING
) -> dict[tuple[int, str], tuple[int, bool]]:
    """(dispute_id, period key) -> (leaf region_id, resolved) for disputes registered in the periods."""
    start, end = min(period.start for period in periods), max(period.end for period in periods)
    disputes = list(
        Dispute.objects.filter(subject_filter, reported_on__range=(start, end)).values_list(
            "id", "subject_id", "reported_on", "status", "subject__retired_on"
        )
    )
    placements = placements_of({row[1] for row in disputes})
    result = {}
    for dispute_id, subject_id, reported_on, status, retired_on in disputes:
        for period in periods:
            if period.contains(reported_on):
                placement = placement_on(placements[subject_id], reference_day(retired_on, period))
                if placement is not None:
                    result[(dispute_id, period.key)] = (placement[0], status == DisputeStatus.RESOLVED)
    return result


def totals_of(
    subject_parts: dict[tuple[int, str], Contribution],
    dispute_parts: dict[tuple[int, str], tuple[int, bool]],
    periods: list[Period],
    lineage: RegionLineage,
    sign: int = 1,
    into: Totals | None = None,
) -> Totals:
    totals = into or Totals()
    by_key = {period.key: period for period in periods}
    for (_subject_id, period_key), part in subject_parts.items():
        totals.add_leaf(lineage, by_key[period_key], part.leaf, list(part.counts), sign)
    for (_dispute_id, period_key), (region_id, resolved) in dispute_parts.items():
        totals.add_dispute(lineage, by_key[period_key], region_id, resolved, sign)
    return totals
