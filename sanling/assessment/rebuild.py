"""Rebuilding the rollups inside the database.

For each period, one statement writes every active subject's facts (its leaf on the reference day, the
town-level region its department and category figures roll up from, and which zeros it broke, judged by
``Policy.breaking_q``) into a temporary table; then one statement per rollup table counts the facts by
region and sums those counts over the region tree through a temporary closure table (region, ancestor) as
it stood on the period's last day. The same statements either fill the rollup tables directly (``sanling
recompute``) or are read back as ``Totals`` (``recompute --check``, years not assessed). The live path
(``engine.contributions``) works from single subjects in Python; tests hold the two to the same figures.
"""

import datetime
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from django.conf import settings
from django.db import connection
from django.db.models import Case, F, IntegerField, Max, Q, Value, When

from sanling.core.bulk import analyze, bulk_load, fast_insert
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


def _facts_sql(period: Period, policy: Policy, state: int) -> tuple[str, list]:
    """SELECT region_id, anchor_id, department_id, grp, category, bp, ba, bc for every subject active in
    ``period``, its region's tree being closure ``state``.

    The events of the period are grouped by subject once (which zeros each subject broke) and joined to the
    placements, rather than probing the events three times per subject."""
    reference = Case(
        When(subject__retired_on__lt=period.end, then=F("subject__retired_on")), default=Value(period.end)
    )
    placements = (
        SubjectPlacement.objects.filter(subject__joined_on__lte=period.end)
        .filter(Q(subject__retired_on__isnull=True) | Q(subject__retired_on__gte=period.start))
        .alias(reference=reference)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=F("reference")))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=F("reference")))
        .annotate(
            leaf_subject=F("subject_id"),
            leaf_region=F("region_id"),
            leaf_department=F("department_id"),
            leaf_category=F("subject__category"),
            grp=Case(
                When(subject__kind__in=["village", "community"], then=Value(Group.VILLAGE.value)),
                default=Value(Group.UNIT.value),
            ),
        )
        .values("leaf_subject", "leaf_region", "leaf_department", "grp", "leaf_category")
        .order_by()
    )

    def broke(zero: str) -> Max:
        return Max(
            Case(When(policy.breaking_q(zero), then=Value(1)), default=Value(0), output_field=IntegerField())
        )

    broken = (
        Event.objects.filter(occurred_on__range=(period.start, period.end))
        .values("subject_id")
        .annotate(bp=broke("petition"), ba=broke("accident"), bc=broke("case"))
        .order_by()
    )
    placements_sql, placements_params = placements.query.sql_with_params()
    broken_sql, broken_params = broken.query.sql_with_params()
    return (
        "SELECT p.leaf_region, a.ancestor_id, p.leaf_department, p.grp, p.leaf_category, "
        "COALESCE(b.bp, 0), COALESCE(b.ba, 0), COALESCE(b.bc, 0) "
        f"FROM ({placements_sql}) p LEFT JOIN ({broken_sql}) b ON b.subject_id = p.leaf_subject "
        f"LEFT JOIN {CLOSURE} a ON a.state = %s AND a.region_id = p.leaf_region AND a.is_anchor = 1",
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
    """The SELECT's expressions for ``model``'s key columns: the ancestor, the period (a parameter), the key."""
    chosen = {"region_id": "c.ancestor_id", "period": "%s"}
    return ", ".join(chosen.get(name, "g.rollup_key") for name in KEY_COLUMNS[model])


def _aggregate_sql(model, region: str, key: str, where: str) -> str:
    """Count the facts by region and key, then add each region's counts to itself and its ancestors."""
    counted = (
        f"SELECT {region} AS region_id, {key} AS rollup_key, CAST(COUNT(*) AS integer) AS active, "
        "CAST(SUM(CASE WHEN f.bp + f.ba + f.bc = 0 THEN 1 ELSE 0 END) AS integer) AS compliant, "
        "CAST(SUM(f.bp) AS integer) AS bp, CAST(SUM(f.ba) AS integer) AS ba, CAST(SUM(f.bc) AS integer) AS bc "
        f"FROM {FACTS} f WHERE 1 = 1 {where} GROUP BY {region}, {key}"
    )
    return (
        f"SELECT {_key_select(model)}, SUM(g.active), SUM(g.compliant), SUM(g.bp), SUM(g.ba), SUM(g.bc) "
        f"FROM ({counted}) g JOIN {CLOSURE} c ON c.region_id = g.region_id AND c.state = %s "
        "GROUP BY c.ancestor_id, g.rollup_key"
    )


@contextmanager
def _work_tables() -> Iterator[None]:
    with connection.cursor() as cursor:
        for table in (FACTS, CLOSURE):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {FACTS} (region_id bigint, anchor_id bigint, department_id bigint, "
            "grp varchar(8), category varchar(20), bp integer, ba integer, bc integer)"
        )
        # is_anchor marks the row of each region's anchor: the town of a village, a town or anything above it itself.
        cursor.execute(
            f"CREATE TEMPORARY TABLE {CLOSURE} (state integer, region_id bigint, ancestor_id bigint, is_anchor integer)"
        )
        cursor.execute(f"CREATE INDEX {CLOSURE}_key ON {CLOSURE} (state, region_id)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in (FACTS, CLOSURE):
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


def _each_period(periods: list[Period]) -> Iterator[tuple[Period, int]]:
    """Fill the facts of each period in turn and yield it with its closure state."""
    lineage = RegionLineage()
    closures = ClosureStates(lineage)
    policies = policies_for(periods)
    for period in periods:
        state = closures.state_for(period.end)
        sql, params = _facts_sql(period, policies[period.key], state)
        with connection.cursor() as cursor:
            # TRUNCATE on PostgreSQL: a DELETE would leave every earlier period's rows in the heap (nothing
            # vacuums a temporary table), and each period's GROUP BYs would read them all again.
            cursor.execute(f"{'TRUNCATE' if connection.vendor == 'postgresql' else 'DELETE FROM'} {FACTS}")
            cursor.execute(
                f"INSERT INTO {FACTS} (region_id, anchor_id, department_id, grp, category, bp, ba, bc) {sql}",
                params,
            )
        yield period, state


def rebuild_into_tables(periods: list[Period]) -> None:
    """Replace the subject rollups of ``periods`` by a rebuild written straight into the rollup tables.

    A rebuild as large as the tables (a province's year) loads them like an import: their lookup indexes
    are rebuilt once at the end rather than updated row by row, and their statistics refreshed. The region
    rollup has a row for each region and period at least, so that is the size expected of a first build;
    a rebuild expects the rows it replaces."""
    keys = {period.key for period in periods}
    first_build = Region.objects.count() * len(periods)
    expected = {
        model: max(model.objects.filter(period__in=keys).delete()[0], first_build) for model, *_rest in TABLES
    }
    with ExitStack() as loads:
        for model, rows in expected.items():
            loads.enter_context(bulk_load(model, rows=rows))
        with _work_tables(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL work_mem = '64MB'")  # a province's GROUP BYs hash in memory
            for period, state in _each_period(periods):
                for model, *counted in TABLES:
                    target = ", ".join(_quoted(name) for name in [*KEY_COLUMNS[model], *COUNT_FIELDS])
                    cursor.execute(
                        f"INSERT INTO {_quoted(model._meta.db_table)} ({target}) {_aggregate_sql(model, *counted)}",
                        [period.key, state],
                    )
    analyze(*(model for model, rows in expected.items() if rows >= settings.BULK_REBUILD_ROWS))


def rebuild_totals(periods: list[Period]) -> Totals:
    """The same rebuild read back as ``Totals`` (subject rollups only)."""
    totals = Totals()
    tables = dict(zip((model for model, *_rest in TABLES), totals.tables()[:3], strict=True))
    with _work_tables():
        for period, state in _each_period(periods):
            with connection.cursor() as cursor:
                for model, *counted in TABLES:
                    cursor.execute(_aggregate_sql(model, *counted), [period.key, state])
                    for row in cursor.fetchall():
                        tables[model][tuple(row[:3])] = [int(value) for value in row[3:]]
    return totals


def _dispute_totals(periods: list[Period], lineage: RegionLineage) -> Totals:
    totals = Totals()
    by_key = {period.key: period for period in periods}
    for (_dispute_id, period_key), (region_id, resolved) in dispute_rows(periods).items():
        totals.add_dispute(lineage, by_key[period_key], region_id, resolved)
    return totals


def compute_periods(periods: list[Period]) -> Totals:
    """Every rollup row of ``periods`` rebuilt from subjects, placements, events and disputes."""
    totals = rebuild_totals(periods)
    totals.disputes.update(_dispute_totals(periods, RegionLineage()).disputes)
    return totals.pruned()


def rebuild(periods: list[Period]) -> None:
    """Replace every rollup row of ``periods`` (``sanling recompute``)."""
    rebuild_into_tables(periods)
    disputes = _dispute_totals(periods, RegionLineage()).pruned().disputes
    DisputeRollup.objects.filter(period__in={period.key for period in periods}).delete()
    fast_insert(
        DisputeRollup,
        ["region_id", "period", "registered", "resolved"],
        ((*key, *values) for key, values in disputes.items()),
    )
