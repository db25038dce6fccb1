"""Rebuilding the rollups inside the database.

A year's periods are rebuilt together. One statement writes a row of facts per subject and placement into a
temporary table: its leaf on the periods' reference days, the town-level region its department and category
figures roll up from, a mask of the periods it counts in (active, and that placement in force on the
period's reference day), and one mask of months per zero saying in which months its events broke that zero
(judged by ``Policy.breaking_q``). A period's figures then follow from the masks alone: a subject broke a
zero in a quarter when that zero's mask shares a month with the quarter's. One statement per rollup table
counts the facts by period and region and sums those counts over the region tree through a temporary
closure table (region, ancestor) as it stood on the period's last day. A year whose periods are judged by
different policy versions, or whose region tree changed during it, writes one set of facts per (policy,
tree) and each row only counts in the periods of its set.

The same statements either fill the rollup tables directly (``sanling recompute``) or are read back as
``Totals`` (``recompute --check``, years not assessed). The live path (``engine.contributions``) works from
single subjects in Python; tests hold the two to the same figures.
"""

import datetime
import functools
import operator
from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import Aggregate, Case, ExpressionWrapper, F, IntegerField, Q, Sum, Value, When
from django.utils.translation import gettext as _

from sanling.core.bulk import analyze, bulk_load, fast_insert
from sanling.core.progress import Progress
from sanling.core.queries import chunks
from sanling.events.models import Event
from sanling.regions.models import Region
from sanling.subjects.models import Group, SubjectPlacement

from .engine import TOWN_RANK, RegionLineage, Totals, dispute_rows, policies_for
from .models import COUNT_FIELDS, CategoryRollup, DepartmentRollup, DisputeRollup, Policy, RegionRollup
from .periods import Period
from .store import TABLES as STORED_TABLES

FACTS = "sanling_rebuild_facts"
CLOSURE = "sanling_rebuild_closure"
PERIODS = "sanling_rebuild_periods"
MONTHS = "sanling_rebuild_months"


class BitOr(Aggregate):
    function = "BIT_OR"
    output_field = IntegerField()


def _any_bit(expression) -> Aggregate:
    """The OR of the single-bit values of ``expression`` over a group: PostgreSQL's BIT_OR; elsewhere the
    sum of the distinct values, which is the same for powers of two and zero."""
    if connection.vendor == "postgresql":
        return BitOr(expression)
    return Sum(expression, distinct=True, output_field=IntegerField())


def _month_bit(start: datetime.date) -> Case:
    """1 << (month - 1) of an event's date, for events of ``start``'s year."""
    return Case(
        *(
            When(occurred_on__lt=datetime.date(start.year, month + 1, 1), then=Value(1 << (month - 1)))
            for month in range(1, 12)
        ),
        default=Value(1 << 11),
        output_field=IntegerField(),
    )


def _counts_in(period: Period) -> Q:
    """The placements (of active subjects) that count in ``period``: in force on its reference day."""
    end, start = period.end, period.start

    def in_force(day) -> Q:
        return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    until_end = (Q(subject__retired_on__isnull=True) | Q(subject__retired_on__gte=end)) & in_force(end)
    retired_in = Q(subject__retired_on__gte=start, subject__retired_on__lt=end) & in_force(
        F("subject__retired_on")
    )
    return Q(subject__joined_on__lte=end) & (until_end | retired_in)


def _facts_sql(periods: list[tuple[int, Period]], policy: Policy, state: int) -> tuple[str, list]:
    """SELECT state, region_id, anchor_id, department_id, grp, category, and masks of periods (counted in,
    compliant in, broken each zero in) for
    every placement counting in any of ``periods`` ((bit, period) of one year, judged by ``policy`` and
    the closure ``state``).

    The year's events are grouped by subject once, each zero's months ORed into a mask, and joined to the
    placements, rather than grouped again for each period."""
    first = min(period.start for _bit, period in periods)
    last = max(period.end for _bit, period in periods)
    in_periods = functools.reduce(
        operator.add,
        (Case(When(_counts_in(period), then=Value(bit)), default=Value(0)) for bit, period in periods),
    )
    placements = (
        SubjectPlacement.objects.filter(subject__joined_on__lte=last)
        .filter(Q(subject__retired_on__isnull=True) | Q(subject__retired_on__gte=first))
        .annotate(
            leaf_subject=F("subject_id"),
            leaf_region=F("region_id"),
            leaf_department=F("department_id"),
            leaf_category=F("subject__category"),
            grp=Case(
                When(subject__kind__in=["village", "community"], then=Value(Group.VILLAGE.value)),
                default=Value(Group.UNIT.value),
            ),
            in_periods=ExpressionWrapper(in_periods, output_field=IntegerField()),
        )
        .values("leaf_subject", "leaf_region", "leaf_department", "grp", "leaf_category", "in_periods")
        .order_by()
    )
    month = _month_bit(first)
    rules = {zero: policy.breaking_q(zero) for zero in ("petition", "accident", "case")}
    broken = (
        Event.objects.filter(occurred_on__range=(first, last))
        .filter(rules["petition"] | rules["accident"] | rules["case"])
        .values("subject_id")
        .annotate(
            **{
                f"m{zero[0]}": _any_bit(
                    Case(When(rule, then=month), default=Value(0), output_field=IntegerField())
                )
                for zero, rule in rules.items()
            }
        )
        .order_by()
    )
    placements_sql, placements_params = placements.query.sql_with_params()
    broken_sql, broken_params = broken.query.sql_with_params()
    return (
        "SELECT x.state, x.region_id, x.anchor_id, x.department_id, x.grp, x.category, x.in_periods, "
        "x.in_periods - (x.in_periods & (x.bp | x.ba | x.bc)), x.bp, x.ba, x.bc FROM ("
        f"SELECT {int(state)} AS state, p.leaf_region AS region_id, a.ancestor_id AS anchor_id, "
        "p.leaf_department AS department_id, p.grp AS grp, p.leaf_category AS category, "
        "p.in_periods AS in_periods, p.in_periods & mp.periods AS bp, p.in_periods & ma.periods AS ba, "
        "p.in_periods & mc.periods AS bc "
        f"FROM ({placements_sql}) p LEFT JOIN ({broken_sql}) b ON b.subject_id = p.leaf_subject "
        f"LEFT JOIN {CLOSURE} a ON a.state = %s AND a.region_id = p.leaf_region AND a.is_anchor = 1 "
        f"JOIN {MONTHS} mp ON mp.months = COALESCE(b.mp, 0) JOIN {MONTHS} ma ON ma.months = COALESCE(b.ma, 0) "
        f"JOIN {MONTHS} mc ON mc.months = COALESCE(b.mc, 0) "
        "WHERE p.in_periods <> 0) x",
        [*placements_params, *broken_params, state],
    )


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


# (model, the facts' region column and key, extra WHERE); the key columns written are the stored tables'
# (``store.TABLES``). Department and category figures count the facts by town (anchor_id) before going up
# the tree: a province's half a million units fall into a few thousand towns, and only towns and the
# regions above them are kept.
TABLES = [
    (RegionRollup, "f.region_id", "f.grp", ""),
    (
        DepartmentRollup,
        "f.anchor_id",
        "f.department_id",
        f"AND f.grp = '{Group.UNIT.value}' AND f.department_id IS NOT NULL",
    ),
    (CategoryRollup, "f.anchor_id", "f.category", f"AND f.grp = '{Group.UNIT.value}' AND f.category <> ''"),
]
KEY_COLUMNS = {model: keys for model, keys, _counts in STORED_TABLES}


def _key_select(model) -> str:
    """The SELECT's expressions for ``model``'s key columns: the ancestor, the period, the key."""
    chosen = {"region_id": "u.ancestor_id", "period": "u.period"}
    return ", ".join(chosen.get(name, "u.rollup_key") for name in KEY_COLUMNS[model])


MASKS = ("in_periods", "compliant", "bp", "ba", "bc")  # the facts' masks, in the order of COUNT_FIELDS


def _aggregate_sql(model, region: str, key: str, where: str, periods: int) -> str:
    """Count the facts by region and key, a column per period and count (each mask's bit summed); add each
    region's columns to itself and its ancestors; then turn each row into a row per period it has subjects in.

    Wide rows keep the grouping small: a province's half a million facts make a hundred thousand rows to
    take up the tree, where a row per period would make seventeen times as many to hash and join."""
    names = [(index, count) for index in range(periods) for count in range(len(MASKS))]
    counted = ", ".join(
        f"SUM((f.{MASKS[count]} >> {index}) & 1) AS n{index}_{count}" for index, count in names
    )
    summed = ", ".join(f"SUM(g.n{index}_{count}) AS n{index}_{count}" for index, count in names)

    def pick(count: int) -> str:
        return (
            "CASE p.idx "
            + " ".join(f"WHEN {index} THEN t.n{index}_{count}" for index in range(periods))
            + " END"
        )

    return (
        f"SELECT {_key_select(model)}, u.active, u.compliant, u.bp, u.ba, u.bc FROM ("
        f"SELECT t.ancestor_id, p.period_key AS period, t.rollup_key, {pick(0)} AS active, {pick(1)} AS compliant, "
        f"{pick(2)} AS bp, {pick(3)} AS ba, {pick(4)} AS bc FROM ("
        f"SELECT c.ancestor_id, g.rollup_key, {summed} FROM ("
        f"SELECT f.state, {region} AS region_id, {key} AS rollup_key, {counted} "
        f"FROM {FACTS} f WHERE 1 = 1 {where} GROUP BY f.state, {region}, {key}"
        f") g JOIN {CLOSURE} c ON c.region_id = g.region_id AND c.state = g.state "
        "GROUP BY c.ancestor_id, g.rollup_key"
        f") t CROSS JOIN {PERIODS} p) u WHERE u.active > 0"
    )


@contextmanager
def _work_tables() -> Iterator[None]:
    with connection.cursor() as cursor:
        for table in (FACTS, CLOSURE, PERIODS, MONTHS):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {FACTS} (state integer, region_id bigint, anchor_id bigint, "
            "department_id bigint, grp varchar(8), category varchar(20), in_periods integer, "
            "compliant integer, bp integer, ba integer, bc integer)"
        )
        # Each period of the year being rebuilt: its bit in the facts' in_periods and its months' bits.
        cursor.execute(f"CREATE TEMPORARY TABLE {PERIODS} (period_key varchar(7), idx integer)")
        # Each of the 4,096 masks of months, with the mask of the year's periods sharing a month with it.
        cursor.execute(f"CREATE TEMPORARY TABLE {MONTHS} (months integer PRIMARY KEY, periods integer)")
        # is_anchor marks the row of each region's anchor: the town of a village, a town or anything above it itself.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {CLOSURE} (state integer, region_id bigint, ancestor_id bigint, is_anchor integer)"
        )
        cursor.execute(f"CREATE INDEX {CLOSURE}_key ON {CLOSURE} (state, region_id)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in (FACTS, CLOSURE, PERIODS, MONTHS):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")


class ClosureStates:
    """The region tree as it stood on each period's last day, loaded into the closure table once per shape.

    Without moves in the history every period shares one shape (state 0)."""

    def __init__(self, lineage: RegionLineage):
        self.lineage = lineage
        self.states: dict[frozenset, int] = {}
        self.moves = sorted({valid_to for rows in lineage.history.values() for valid_to, _path in rows})

    def state_for(self, day: datetime.date) -> int:
        shape = frozenset(moved for moved in self.moves if moved > day)
        if shape not in self.states:
            state = len(self.states)
            self.states[shape] = state
            _load_closure(self._rows(state, day))
        return self.states[shape]

    def _rows(self, state: int, day: datetime.date) -> Iterator[tuple[int, int, int, int]]:
        for region_id in self.lineage.paths:
            ancestors = self.lineage.ancestors(region_id, day)
            # Its deepest ancestor at town level or above; none for a tree rooted below the towns.
            _rank, anchor_id = max(
                ((rank, ancestor_id) for ancestor_id, rank in ancestors if rank <= TOWN_RANK),
                default=(0, None),
            )
            for ancestor_id, _rank in ancestors:
                yield state, region_id, ancestor_id, int(ancestor_id == anchor_id)


def _load_closure(rows: Iterator[tuple[int, int, int, int]]) -> None:
    """Rows of (state, region, ancestor, is_anchor): by COPY on PostgreSQL (a province has hundreds of thousands
    per shape, ten times faster than INSERTs), in batches of INSERTs on SQLite."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {CLOSURE} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        for batch in chunks(rows, 10_000):
            cursor.executemany(f"INSERT INTO {CLOSURE} VALUES (%s, %s, %s, %s)", batch)


def _months(period: Period) -> int:
    return sum(1 << (month - 1) for month in range(period.start.month, period.end.month + 1))


def _each_year(periods: list[Period]) -> Iterator[list[Period]]:
    """Fill the facts and periods tables for each year of ``periods`` in turn, and yield its periods."""
    lineage = RegionLineage()
    closures = ClosureStates(lineage)
    policies = policies_for(periods)
    by_year: dict[int, list[Period]] = defaultdict(list)
    for period in periods:
        by_year[period.year].append(period)
    empty = "TRUNCATE" if connection.vendor == "postgresql" else "DELETE FROM"
    for year_periods in by_year.values():
        # The periods sharing a policy version and a shape of the tree share one set of facts.
        sets: dict[tuple[int, int], list[tuple[int, Period]]] = defaultdict(list)
        for index, period in enumerate(year_periods):
            sets[(policies[period.key].pk, closures.state_for(period.end))].append((1 << index, period))
        with connection.cursor() as cursor:
            # TRUNCATE on PostgreSQL: nothing vacuums a temporary table, and a DELETE would leave the
            # previous year's rows in the heap for every statement to read again.
            cursor.execute(f"{empty} {FACTS}")
            cursor.execute(f"{empty} {PERIODS}")
            cursor.execute(f"{empty} {MONTHS}")
            cursor.executemany(
                f"INSERT INTO {PERIODS} (period_key, idx) VALUES (%s, %s)",
                [(period.key, index) for index, period in enumerate(year_periods)],
            )
            period_months = [(1 << index, _months(period)) for index, period in enumerate(year_periods)]
            cursor.executemany(
                f"INSERT INTO {MONTHS} (months, periods) VALUES (%s, %s)",
                [
                    (months, sum(bit for bit, within in period_months if months & within))
                    for months in range(1 << 12)
                ],
            )
            for (_policy, state), members in sets.items():
                sql, params = _facts_sql(members, policies[members[0][1].key], state)
                cursor.execute(
                    f"INSERT INTO {FACTS} (state, region_id, anchor_id, department_id, grp, category, "
                    f"in_periods, compliant, bp, ba, bc) {sql}",
                    params,
                )
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {FACTS}")
        yield year_periods


ROLLUP_MODELS = (RegionRollup, DepartmentRollup, CategoryRollup, DisputeRollup)


def lock_rollups(mode: str) -> None:
    """``LOCK TABLE`` the rollup tables in ``mode`` for the rest of the transaction (PostgreSQL)."""
    tables = ", ".join(_quoted(model._meta.db_table) for model in ROLLUP_MODELS)
    with connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {tables} IN {mode} MODE")


def _lock_out_live_writers() -> None:
    """Make live changes of the rollups wait until this rebuild commits (PostgreSQL).

    A live change works out its difference from what it reads, and applies it to the rows; one that read or
    wrote while a rebuild was uncommitted would lose its change to the rows the rebuild puts in their place.
    Under SHARE ROW EXCLUSIVE, live changes (ROW EXCLUSIVE, ``services._wait_for_rebuilds``) start after the
    commit and see the new rows; one that got in before has committed, and the rebuild counts it. Reads go
    on. Deferred foreign keys are checked first: those checks lock the subjects an import's records name,
    which a live change may hold while it waits here."""
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time anyway
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    lock_rollups("SHARE ROW EXCLUSIVE")


def _steps(periods: list[Period], progress: Progress | None) -> Progress:
    """Progress counted in rollup tables rebuilt: one per table and year, and the disputes' at the end."""
    progress = progress or Progress()
    progress.start(len({period.year for period in periods}) * len(TABLES) + 1, _("Rebuilding the rates"))
    return progress


def _step(progress: Progress, year_periods: list[Period], model) -> None:
    progress.stage(
        _("Year %(year)s: %(table)s") % {"year": year_periods[0].year, "table": model._meta.verbose_name}
    )


def rebuild_into_tables(periods: list[Period], progress: Progress | None = None) -> None:
    """Replace the subject rollups of ``periods`` by a rebuild written straight into the rollup tables.

    A rebuild as large as the tables (a province's year) loads them like an import: their lookup indexes
    are rebuilt once at the end rather than updated row by row, and their statistics refreshed. The region
    rollup has a row for each region and period at least, so that is the size expected of a first build;
    a rebuild expects the rows it replaces."""
    _lock_out_live_writers()
    keys = {period.key for period in periods}
    first_build = Region.objects.count() * len(periods)
    expected = {
        model: max(model.objects.filter(period__in=keys).delete()[0], first_build) for model, *_rest in TABLES
    }
    with ExitStack() as loads:
        for model, rows in expected.items():
            loads.enter_context(bulk_load(model, rows=rows, unique_keys=True))
        with _work_tables(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # A province's GROUP BYs hash in memory; the wide aggregations are too large a plan for the JIT
                # to pay for compiling it (4 s of 13 s for the region rollup).
                cursor.execute("SET LOCAL work_mem = '256MB'")
                cursor.execute("SET LOCAL jit = off")
            for year_periods in _each_year(periods):
                for model, *counted in TABLES:
                    if progress is not None:
                        _step(progress, year_periods, model)
                    target = ", ".join(_quoted(name) for name in [*KEY_COLUMNS[model], *COUNT_FIELDS])
                    aggregate = _aggregate_sql(model, *counted, len(year_periods))
                    cursor.execute(f"INSERT INTO {_quoted(model._meta.db_table)} ({target}) {aggregate}")
                    if progress is not None:
                        progress.advance()
    analyze(*(model for model, rows in expected.items() if rows >= settings.BULK_REBUILD_ROWS))


def rebuild_totals(periods: list[Period], progress: Progress | None = None) -> Totals:
    """The same rebuild read back as ``Totals`` (subject rollups only)."""
    totals = Totals()
    tables = dict(zip((model for model, *_rest in TABLES), totals.tables()[:3], strict=True))
    with _work_tables():
        for year_periods in _each_year(periods):
            with connection.cursor() as cursor:
                for model, *counted in TABLES:
                    if progress is not None:
                        _step(progress, year_periods, model)
                    cursor.execute(_aggregate_sql(model, *counted, len(year_periods)))
                    for row in cursor.fetchall():
                        tables[model][tuple(row[:3])] = [int(value) for value in row[3:]]
                    if progress is not None:
                        progress.advance()
    return totals


def _dispute_totals(periods: list[Period], lineage: RegionLineage) -> Totals:
    totals = Totals()
    by_key = {period.key: period for period in periods}
    for (_dispute_id, period_key), (region_id, resolved) in dispute_rows(periods).items():
        totals.add_dispute(lineage, by_key[period_key], region_id, resolved)
    return totals


def compute_periods(periods: list[Period], progress: Progress | None = None) -> Totals:
    """Every rollup row of ``periods`` rebuilt from subjects, placements, events and disputes."""
    counter = _steps(periods, progress) if progress is not None else None
    totals = rebuild_totals(periods, counter)
    if counter is not None:
        counter.stage(_("Disputes"))
    totals.disputes.update(_dispute_totals(periods, RegionLineage()).disputes)
    if counter is not None:
        counter.finish()
    return totals.pruned()


def rebuild(periods: list[Period], progress: Progress | None = None) -> None:
    """Replace every rollup row of ``periods`` (``sanling recompute``); ``progress`` counts the tables
    rebuilt, for a progress bar."""
    counter = _steps(periods, progress) if progress is not None else None
    rebuild_into_tables(periods, counter)
    if counter is not None:
        counter.stage(_("Disputes"))
    disputes = _dispute_totals(periods, RegionLineage()).pruned().disputes
    DisputeRollup.objects.filter(period__in={period.key for period in periods}).delete()
    fast_insert(
        DisputeRollup,
        ["region_id", "period", "registered", "resolved"],
        ((*key, *values) for key, values in disputes.items()),
    )
    if counter is not None:
        counter.finish()
