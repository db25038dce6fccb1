"""Writes of the assessment: keeping the rollups live, rebuilding them, and adding policy versions."""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import audit_change
from sanling.core.progress import Progress, ProgressCallback
from sanling.subjects.models import Subject

from .engine import (
    RegionLineage,
    SubjectFacts,
    Totals,
    contributions,
    dispute_contributions,
    policies_for,
    totals_of,
)
from .integrity import integrity_problems
from .models import DEFAULT_POLICY, AssessedYear, Policy
from .periods import Period, periods_of_year
from .rebuild import compute_periods, lock_rollups, rebuild
from .store import stored_totals, totals_add, totals_difference

YEAR_OPENING_LOCK = 0x53_4C_59  # "SLY": the advisory lock class of opening a year


def assessed_periods(years: Iterable[int] | None = None) -> list[Period]:
    chosen = AssessedYear.objects.all() if years is None else AssessedYear.objects.filter(year__in=set(years))
    return [
        period for year in sorted(chosen.values_list("year", flat=True)) for period in periods_of_year(year)
    ]


@transaction.atomic
def assessment_year_open(*, year: int) -> bool:
    """Start maintaining ``year``'s rollups live (computing them first); False if it already was.

    Openers of one year queue on a lock (PostgreSQL; SQLite has one writer anyway), so a year that several
    readers and a first event ask for at once is computed once and the others find it open."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [YEAR_OPENING_LOCK, year])
    if AssessedYear.objects.filter(year=year).exists():
        return False
    periods = periods_of_year(year)
    rebuild(periods)
    AssessedYear.objects.create(year=year)
    return True


@transaction.atomic
def assessment_recompute(
    *, years: Iterable[int] | None = None, progress: ProgressCallback | None = None
) -> int:
    """Rebuild the rollups of the assessed years (or of ``years``, opening them) from raw rows;
    ``progress(done, total, message)`` is told as each rollup table of each year is rebuilt."""
    if years is not None:
        for year in years:
            AssessedYear.objects.get_or_create(year=year)
    periods = assessed_periods(years)
    if periods:
        rebuild(periods, Progress(progress, every=1) if progress else None)
        AssessedYear.objects.filter(year__in={period.year for period in periods}).update(
            computed_at=timezone.now()
        )
    return len(periods)


def assessment_check(
    *, years: Iterable[int] | None = None, progress: ProgressCallback | None = None
) -> list[str]:
    """Rows the rollups cannot see (``integrity.integrity_problems``), then the differences between the
    maintained rollups and a rebuild from raw rows; empty when everything is counted and agrees."""
    problems = integrity_problems()
    periods = assessed_periods(years)
    if not periods:
        return problems
    keys = {period.key for period in periods}
    computed = compute_periods(periods, Progress(progress, every=1) if progress else None)
    return problems + totals_difference(computed, stored_totals(keys))


@contextmanager
def rollups_maintained(
    *,
    subject_ids: Iterable[int | None],
    days: Iterable[datetime.date] | None = None,
    change: str = "subjects",
) -> Iterator[set[int]]:
    """Keep the rollups right across a change, in the caller's transaction.

    Takes what the subjects add to the affected periods before and after the change and applies the
    difference. ``days`` are the dates the change touches (an event's old and new date); without them every
    assessed period is affected. ``change`` says what is changing — ``"events"``, ``"disputes"`` or
    ``"subjects"`` (their dates or placement) — so only that is read twice. The subjects are locked first,
    so two changes to one subject cannot both start from the same figures. The body adds the ids of
    subjects it creates to the yielded set.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rollups_maintained must run inside a transaction")
    ids = sorted({subject_id for subject_id in subject_ids if subject_id})
    # Locking the subjects reads what decides where they count: their dates and placements.
    locked = (
        Subject.objects.select_for_update(of=("self",))
        .filter(id__in=ids)
        .order_by("id")
        .values_list(
            "id",
            "kind",
            "category",
            "joined_on",
            "retired_on",
            "placements__region_id",
            "placements__department_id",
            "placements__valid_from",
            "placements__valid_to",
        )
    )
    subject_rows, placements = {}, defaultdict(list)
    for subject_id, kind, category, joined_on, retired_on, *placement in locked:
        subject_rows[subject_id] = (kind, category, joined_on, retired_on)
        if placement[0] is not None:
            placements[subject_id].append(tuple(placement))
    periods = _affected_periods(days)
    if periods:
        _wait_for_rebuilds()
    policies = policies_for(periods) if periods else {}
    with_subjects, with_disputes = change in ("events", "subjects"), change in ("disputes", "subjects")

    def snapshot(subject_ids: list[int], facts: SubjectFacts | None) -> tuple[dict, dict]:
        if not periods:
            return {}, {}
        parts = contributions(subject_ids, periods, policies=policies, facts=facts) if with_subjects else {}
        return parts, dispute_contributions(subject_ids, periods) if with_disputes else {}

    facts = SubjectFacts(subject_rows, placements) if with_subjects and ids and periods else None
    before = snapshot(ids, facts)
    created: set[int] = set()
    yield created
    ids = sorted(set(ids) | created)
    after = snapshot(ids, facts if change == "events" else None)
    if before == after:
        return
    region_ids = {part.leaf[0] for parts in (before[0], after[0]) for part in parts.values()}
    region_ids |= {region_id for parts in (before[1], after[1]) for region_id, _resolved in parts.values()}
    lineage = RegionLineage(region_ids)
    delta = Totals()
    totals_of(*before, periods, lineage, sign=-1, into=delta)
    totals_of(*after, periods, lineage, sign=1, into=delta)
    totals_add(delta)


def _wait_for_rebuilds() -> None:
    """Queue behind a rebuild in progress (PostgreSQL), and keep one from starting until this change commits.

    A change works out what it adds to the rollups from the tree and rows it reads now; read while a rebuild
    (an import, a region move, a recompute) is uncommitted, that is the old state, and the difference would
    land on rows the rebuild has replaced. The rebuild takes SHARE ROW EXCLUSIVE (``rebuild.py``), which this
    ROW EXCLUSIVE waits for; live changes do not wait for each other. Taken after the subjects are locked,
    so a rebuild never waits for a subject held by a change that waits for it."""
    if connection.vendor != "postgresql":
        return  # SQLite has one writer at a time anyway
    lock_rollups("ROW EXCLUSIVE")


def _affected_periods(days: Iterable[datetime.date] | None) -> list[Period]:
    """The assessed periods containing any of ``days`` (opening their years first), or all of them."""
    if days is None:
        return assessed_periods()
    days = set(days)
    years = {day.year for day in days}
    for year in years - set(AssessedYear.objects.filter(year__in=years).values_list("year", flat=True)):
        assessment_year_open(year=year)
    return [
        period
        for year in sorted(years)
        for period in periods_of_year(year)
        if any(period.contains(day) for day in days)
    ]


@transaction.atomic
def policy_create(
    *,
    effective_from: datetime.date,
    petition_levels: list[str] | None = None,
    exempt_higher_authority: bool | None = None,
    accident_types: list[str] | None = None,
    case_types: list[str] | None = None,
    note: str = "",
    recompute: bool = False,
) -> Policy:
    """Add a policy version in force from ``effective_from`` (the default policy's rules where not given).

    A version that would change periods already under way or past is refused unless ``recompute`` is
    asked for, in which case the assessed years are rebuilt under it at once.
    """
    latest = Policy.objects.order_by("-effective_from").first()
    if latest and effective_from <= latest.effective_from:
        raise ValidationError(
            {
                "effective_from": _("A new version must take effect after the current one (%(date)s).")
                % {"date": latest.effective_from.isoformat()}
            }
        )
    if effective_from <= timezone.localdate() and not recompute:
        raise ValidationError(
            {
                "effective_from": _(
                    "A version taking effect today or earlier would change figures already published; "
                    "ask for a recompute to apply it to them."
                )
            }
        )
    policy = Policy(
        version=(latest.version + 1) if latest else 1,
        effective_from=effective_from,
        petition_levels=DEFAULT_POLICY["petition_levels"] if petition_levels is None else petition_levels,
        exempt_higher_authority=(
            DEFAULT_POLICY["exempt_higher_authority"]
            if exempt_higher_authority is None
            else exempt_higher_authority
        ),
        accident_types=DEFAULT_POLICY["accident_types"] if accident_types is None else accident_types,
        case_types=DEFAULT_POLICY["case_types"] if case_types is None else case_types,
        note=note,
    )
    policy.full_clean()
    policy.save()
    if recompute:
        assessment_recompute()
    audit_change(Action.CREATE, after=policy, note=f"v{policy.version}")
    return policy
