"""Writes of household visits and household counts. Every writer (pages, API, importer, demo) comes here.

Each write checks the writer's scope: a region outside it is a Chinese error on ``region`` and nothing is
written (a visit or count is placed in a region only, so a department user, whose scope is its units, may
write none). Dates are never in the future, a visit meets at least one person, and an edit names the
version it was loaded at (``core.concurrency``).
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import Change, audit_change, audit_changes, snapshot
from sanling.core.bulk import analyze, fast_insert
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.core.queries import filter_in
from sanling.core.validators import record_date_problem, ref_problem
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import enabled_codes
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref
from sanling.regions.models import Region

from .models import (
    HOUSEHOLD_LEVELS,
    HOUSEHOLD_MAX,
    PERSONS_MET_MAX,
    HouseholdCount,
    HouseholdVisit,
    household_key,
    normalise_household,
    persons_met_too_many,
)

# What an edit of a visit may change (its ref and place in the audit trail stay).
VISIT_FIELDS = (
    "region",
    "household",
    "visited_on",
    "theme",
    "persons_met",
    "visitor_name",
    "post",
    "findings",
)
COUNT_FIELDS = ("households", "residents", "note")


def writable_region_problem(scope: Scope, region: Region) -> str:
    """Why ``scope`` may not write a record placed in ``region`` ("" if it may)."""
    if scope.everything:
        return ""
    if not scope.can_write or not scope.sees_business_data:
        return _("Your role does not record household visits.")
    if scope.region is None or not region.path.startswith(scope.region.path):
        return _("%(region)s lies outside your area; you may record only in %(area)s.") % {
            "region": region.name,
            "area": scope.region.name if scope.region else _("(no area)"),
        }
    return ""


def _check_region(scope: Scope, region: Region | None) -> None:
    if region is not None and (problem := writable_region_problem(scope, region)):
        raise ValidationError({"region": problem})


def _check_post(scope: Scope, post) -> None:
    """A post named on a visit is one of the writer's area (a post elsewhere does not exist for them)."""
    if post is not None and writable_region_problem(scope, post.region):
        raise ValidationError({"post": _("This post lies outside your area.")})


def visitor_post(visitor, region: Region, on: datetime.date):
    """The post ``visitor`` held on ``on`` whose region covers ``region`` (the closest one), or None."""
    from sanling.grids.selectors import posts_of_user

    if visitor is None:
        return None
    posts = [post for post in posts_of_user(visitor, on=on) if region.path.startswith(post.region.path)]
    return max(posts, key=lambda post: len(post.region.path), default=None)


@transaction.atomic
def household_visit_create(
    *,
    scope: Scope,
    region: Region,
    household: str,
    visited_on: datetime.date,
    theme: str,
    persons_met: int = 1,
    visitor=None,
    visitor_name: str = "",
    post=None,
    findings: str = "",
    ref: str = "",
) -> HouseholdVisit:
    """Record a visit to a household of ``region`` (a village, grid or building in the writer's area), made
    in ``post`` (by default the visitor's own post covering the place, if they hold one)."""
    _check_region(scope, region)
    _check_post(scope, post)
    check_choice(EntryType.VISIT_THEME, theme, field="theme")
    if not theme:
        raise ValidationError({"theme": _("Choose the visit's theme.")})
    if visitor is not None and not visitor_name:
        visitor_name = visitor.get_full_name() or visitor.get_username()
    visit = HouseholdVisit(
        ref=ref or new_ref("HV"),
        region=region,
        household=household,
        visited_on=visited_on,
        theme=theme,
        persons_met=persons_met,
        visitor=visitor,
        visitor_name=visitor_name,
        post=post or visitor_post(visitor, region, visited_on),
        findings=findings,
    )
    visit.full_clean()
    visit.save()
    audit_change(Action.CREATE, after=visit)
    return visit


def household_visit_update(
    *, scope: Scope, visit: HouseholdVisit, version: int | None, **changes
) -> HouseholdVisit:
    """Change a visit (``VISIT_FIELDS``); a stale ``version`` changes nothing (StaleVersion)."""
    unknown = set(changes) - set(VISIT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    with transaction.atomic():
        current = lock_for_edit(visit, version)
        _check_region(scope, current.region)
        _check_region(scope, changes.get("region"))
        _check_post(scope, changes.get("post"))
        if "theme" in changes:
            check_choice(EntryType.VISIT_THEME, changes["theme"], field="theme", stored=current.theme)
            if not changes["theme"]:
                raise ValidationError({"theme": _("Choose the visit's theme.")})
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        save_next_version(current)
        audit_change(Action.UPDATE, before=before, after=current)
        return current


def household_visit_delete(*, scope: Scope, visit: HouseholdVisit, version: int | None) -> None:
    """Remove a visit recorded in error."""
    with transaction.atomic():
        current = lock_for_edit(visit, version)
        _check_region(scope, current.region)
        before = snapshot(current)
        current.delete()
        audit_change(Action.DELETE, before=before, instance=visit)


@transaction.atomic
def household_visit_open_dispute(
    *, scope: Scope, visit: HouseholdVisit, subject, summary: str, category: str = ""
):
    """Register a dispute (矛盾纠纷) found on a visit, against ``subject`` (the village, usually), dated the
    visit's day, through ``disputes.services.dispute_create``; the visit keeps the link."""
    from sanling.disputes.services import dispute_create

    current = HouseholdVisit.objects.select_for_update().get(pk=visit.pk)
    _check_region(scope, current.region)
    if current.dispute_id:
        raise ValidationError(
            {
                "summary": _("A dispute was already opened from this visit: %(ref)s.")
                % {"ref": current.dispute.ref}
            }
        )
    if not scope.subjects().filter(pk=subject.pk).exists():
        raise ValidationError({"subject": _("This subject lies outside your area.")})
    if not (summary or "").strip():
        raise ValidationError({"summary": _("Say what the dispute is about.")})
    dispute = dispute_create(
        subject=subject, reported_on=current.visited_on, summary=summary.strip(), category=category
    )
    before = snapshot(current)
    current.dispute = dispute
    current.save(update_fields=["dispute", "updated_at"])
    audit_change(Action.UPDATE, before=before, after=current)
    return dispute


@transaction.atomic
def household_count_create(
    *,
    scope: Scope,
    region: Region,
    households: int,
    as_of: datetime.date,
    residents: int | None = None,
    note: str = "",
) -> HouseholdCount:
    """Enter how many households ``region`` has as of a day (one count per region and day)."""
    _check_region(scope, region)
    if HouseholdCount.objects.filter(region=region, as_of=as_of).exists():
        raise ValidationError(
            {
                "as_of": _("%(region)s already has a count as of %(day)s; edit that one.")
                % {"region": region.name, "day": as_of.isoformat()}
            }
        )
    count = HouseholdCount(region=region, households=households, residents=residents, as_of=as_of, note=note)
    count.full_clean()
    count.save()
    audit_change(Action.CREATE, after=count)
    return count


def household_count_update(
    *, scope: Scope, count: HouseholdCount, version: int | None, **changes
) -> HouseholdCount:
    """Correct a count (``COUNT_FIELDS``); a stale ``version`` changes nothing."""
    unknown = set(changes) - set(COUNT_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed.") for name in sorted(unknown)})
    with transaction.atomic():
        current = lock_for_edit(count, version)
        _check_region(scope, current.region)
        before = snapshot(current)
        for name, value in changes.items():
            setattr(current, name, value)
        save_next_version(current)
        audit_change(Action.UPDATE, before=before, after=current)
        return current


# Bulk writes (the demo): rows checked as the model would check them, written in batches straight into the
# table (``core.bulk.fast_insert``: COPY on PostgreSQL), audited once per batch as the importer's
# "import.applied" entries are, so a year of a county's visits loads in seconds.

BULK_BATCH = 10_000
BULK_FIELDS = (
    "ref",
    "region_id",
    "household",
    "household_key",
    "visited_on",
    "theme",
    "persons_met",
    "visitor_id",
    "visitor_name",
    "post_id",
    "findings",
    "version",
    "created_at",
    "updated_at",
)


def _bulk_row_problem(row: dict, house: str, themes: set[str], today: datetime.date) -> str:
    if row["theme"] not in themes:
        return _("unknown theme “%(theme)s”") % {"theme": row["theme"]}
    if row["visited_on"] > today or not house or row.get("persons_met", 1) < 1:
        return _("a date in the future, no house number or no person met")
    if len(house) > HOUSEHOLD_MAX or len(row.get("visitor_name", "")) > 60:
        return _("a house number or visitor's name too long")
    if row.get("persons_met", 1) > PERSONS_MET_MAX:
        return persons_met_too_many()
    if problem := record_date_problem(row["visited_on"], joined_on=None):
        return problem
    return ref_problem(row.get("ref", "")) or ""


def household_visits_bulk_create(
    *, scope: Scope, rows: Iterable[dict], note: str, today: datetime.date | None = None
) -> int:
    """Write many visits at once. Each row holds ``region`` (a Region), ``household``, ``visited_on``,
    ``theme``, ``persons_met`` and optionally ``ref``, ``visitor`` (a user), ``post``, ``visitor_name``,
    ``findings``. Every row is checked (scope, level, theme, date, persons met, lengths, a ref not taken)
    before anything is written; a bad row raises a ValidationError naming it and nothing is written.
    Returns how many were written."""
    today = today or timezone.localdate()
    now = timezone.now()
    themes = enabled_codes(EntryType.VISIT_THEME)
    allowed: dict[int, str] = {}
    paths: list[str] = []
    values: list[tuple] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=1):
        region = row["region"]
        if region.pk not in allowed:
            allowed[region.pk] = writable_region_problem(scope, region) or (
                "" if region.level in HOUSEHOLD_LEVELS else _("not a village, grid or building")
            )
        house = normalise_household(row["household"])
        ref = row.get("ref") or new_ref("HV")
        problem = allowed[region.pk] or _bulk_row_problem(row, house, themes, today)
        if not problem and ref in seen:
            problem = _("the ref %(ref)s is also in row %(row)s") % {"ref": ref, "row": seen[ref]}
        if problem:
            raise ValidationError(_("Row %(row)s: %(problem)s") % {"row": number, "problem": problem})
        seen[ref] = number
        visitor, post = row.get("visitor"), row.get("post")
        values.append(
            (
                ref,
                region.pk,
                house,
                household_key(region.code, house),
                row["visited_on"],
                row["theme"],
                row.get("persons_met", 1),
                visitor.pk if visitor is not None else None,
                row.get("visitor_name", ""),
                post.pk if post is not None else None,
                row.get("findings", ""),
                1,
                now,
                now,
            )
        )
        paths.append(region.path)
    taken = list(filter_in(HouseholdVisit.objects.values_list("ref", flat=True), "ref", seen))
    if taken:
        raise ValidationError(
            _("Row %(row)s: %(problem)s")
            % {"row": seen[taken[0]], "problem": _("the ref %(ref)s is taken") % {"ref": taken[0]}}
        )
    with transaction.atomic():
        for start in range(0, len(values), BULK_BATCH):
            _write_batch(values[start : start + BULK_BATCH], paths[start : start + BULK_BATCH], note)
    if len(values) >= BULK_BATCH:
        analyze(HouseholdVisit)  # PostgreSQL's planner learns the table's new size now, not at autovacuum
    return len(values)


def _write_batch(batch: Sequence[tuple], paths: Sequence[str], note: str) -> None:
    fast_insert(HouseholdVisit, BULK_FIELDS, batch)
    by_chain: dict[str, int] = {}
    for path in paths:
        chain = "/".join(path.split("/")[:4]) + "/"  # down to the county: the audit chain it belongs to
        by_chain[chain] = by_chain.get(chain, 0) + 1
    first, last = batch[0][0], batch[-1][0]
    audit_changes(
        Change(
            Action.CREATE,
            "householdvisit",
            f"{first}…{last}",
            chain,
            after={"rows": rows, "first": first, "last": last},
            note=note,
            verb="import.applied",
        )
        for chain, rows in by_chain.items()
    )
