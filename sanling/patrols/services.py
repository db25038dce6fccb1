"""Writes of patrols: teams, their shifts, and patrol logs whose finding may open a hazard or a dispute in
the same transaction (so a log never names a case that was not written, nor a case lacks its log).

Every write takes the writer's ``scope`` (None at the shell, the demo and the importer): a region outside it
is refused in Chinese and nothing is written.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref
from sanling.regions.models import Level, Region
from sanling.subjects.models import Subject

from .models import PatrolLog, PatrolShift, PatrolTeam


class OpenCase:
    """What a finding may open (``open_case``): nothing, a hazard (隐患) or a dispute (矛盾纠纷)."""

    NONE = ""
    HAZARD = "hazard"
    DISPUTE = "dispute"


def check_region_in_scope(scope: Scope | None, region: Region | None, *, field: str = "region") -> None:
    """Refuse a region outside the writer's subtree (a department user places nothing in regions)."""
    if scope is None or region is None:
        return
    if scope.everything:
        return
    if scope.region is None or not region.path.startswith(scope.region.path) or not scope.can_write:
        raise ValidationError({field: _("This region is outside your area; you cannot record there.")})


def check_team_reachable(scope: Scope | None, team: PatrolTeam) -> None:
    """A writer logs the patrols of a team working in their subtree or above it (a street's team patrols the
    community of the grid worker who logs it); the area itself must lie in their subtree."""
    if scope is None or scope.everything:
        return
    if scope.region is not None and scope.region.path.startswith(team.region.path):
        return
    check_region_in_scope(scope, team.region, field="team")


def check_not_in_future(value: datetime.datetime | datetime.date | None, *, field: str) -> None:
    """Patrols and meetings are recorded after they happen."""
    if value is None:
        return
    now = timezone.now() if isinstance(value, datetime.datetime) else timezone.localdate()
    if value > now:
        raise ValidationError({field: _("This date or time is in the future; record it after it happens.")})


@transaction.atomic
def patrol_team_create(
    *,
    region: Region,
    name: str,
    kind: str,
    organisation=None,
    members: str = "",
    member_count: int = 0,
    active: bool = True,
    scope: Scope | None = None,
) -> PatrolTeam:
    """Form a patrol team for a region (a community, or a town's communities)."""
    check_region_in_scope(scope, region)
    team = PatrolTeam(
        region=region,
        name=name.strip(),
        kind=kind,
        organisation=organisation,
        members=members.strip(),
        member_count=member_count,
        active=active,
    )
    team.full_clean()
    team.save()
    audit_change(Action.CREATE, after=team)
    return team


TEAM_EDITABLE = ("name", "kind", "organisation", "members", "member_count", "active")


@transaction.atomic
def patrol_team_update(
    *, team: PatrolTeam, version: int | None, scope: Scope | None = None, **changes
) -> PatrolTeam:
    """Rename a team, change its members or retire it (``active``); a stale ``version`` changes nothing.
    Its region stays: its logs lie there."""
    if unknown := set(changes) - set(TEAM_EDITABLE):
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = lock_for_edit(team, version)
    check_region_in_scope(scope, current.region)
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated)
    return updated


@transaction.atomic
def patrol_shift_create(
    *,
    team: PatrolTeam,
    name: str,
    starts_at: datetime.time,
    ends_at: datetime.time,
    scope: Scope | None = None,
) -> PatrolShift:
    """Add a shift (白班, 夜班) to a team: "巡逻队实行分班制,24小时在社区巡逻"."""
    check_region_in_scope(scope, team.region, field="team")
    shift = PatrolShift(team=team, name=name.strip(), starts_at=starts_at, ends_at=ends_at)
    try:
        shift.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict or "name" in error.message_dict:
            raise ValidationError({"name": _("This team already has a shift of that name.")}) from None
        raise
    shift.save()
    audit_change(Action.CREATE, after=shift, instance=shift)
    return shift


def default_case_subject(region: Region) -> Subject | None:
    """The subject a finding's case is opened at when none is named: the village or community the area lies
    in (its own subject, the campaign's 村/社区 unit)."""
    village = region
    if region.level != Level.VILLAGE:
        codes = region.ancestor_codes
        village = Region.objects.filter(code__in=codes, level=Level.VILLAGE).first() or region
    return (
        Subject.objects.filter(region=village, kind__in=("village", "community"), retired_on__isnull=True)
        .order_by("code")
        .first()
    )


# A hazard's or dispute's field -> the field of the finding that opened it.
CASE_FIELDS = {
    "category": "hazard_category",
    "level": "hazard_level",
    "subject": "case_subject",
    "description": "findings",
    "summary": "findings",
    "found_on": "started_at",
    "reported_on": "started_at",
}


def open_finding_case(
    *,
    open_case: str,
    region: Region,
    on: datetime.date,
    text: str,
    subject: Subject | None,
    hazard_category: str,
    hazard_level: str,
    source: str,
    scope: Scope | None,
):
    """Open the hazard or dispute a finding (of a patrol or a meeting) raises; returns (hazard, dispute)."""
    if open_case == OpenCase.NONE:
        return None, None
    if not text.strip():
        raise ValidationError({"findings": _("Describe what was found before opening a case from it.")})
    subject = subject or default_case_subject(region)
    if subject is None:
        raise ValidationError(
            {"case_subject": _("Name the subject (unit or village) the case is opened at.")}
        )
    if (
        scope is not None
        and not scope.everything
        and not scope.covers_place(subject.region, subject.department)
    ):
        raise ValidationError({"case_subject": _("This subject is outside your area.")})
    # The hazard carries the grid (or 楼宇) it was found in, when that lies on the subject's branch.
    on_branch = region.path.startswith(subject.region.path) or subject.region.path.startswith(region.path)
    grid = region if region.level in ("grid", "building") and on_branch else None
    try:
        if open_case == OpenCase.HAZARD:
            from sanling.hazards.services import hazard_report

            hazard = hazard_report(
                subject=subject,
                found_on=on,
                category=hazard_category,
                level=hazard_level or "general",
                description=text.strip()[:2000],
                grid=grid,
                source=source,
            )
            return hazard, None
        if open_case == OpenCase.DISPUTE:
            from sanling.disputes.services import dispute_create

            return None, dispute_create(subject=subject, reported_on=on, summary=text.strip()[:500])
    except ValidationError as error:
        # The case's fields are this form's case fields.
        raise ValidationError(
            {CASE_FIELDS.get(field, field): messages for field, messages in error.message_dict.items()}
        ) from None
    raise ValidationError({"open_case": _("Choose a hazard, a dispute or nothing.")})


@transaction.atomic
def patrol_log_create(
    *,
    team: PatrolTeam,
    region: Region,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    route: str,
    defence_type: str,
    shift: PatrolShift | None = None,
    participants: int = 1,
    residents_contacted: int = 0,
    findings: str = "",
    open_case: str = OpenCase.NONE,
    case_subject: Subject | None = None,
    hazard_category: str = "",
    hazard_level: str = "",
    ref: str = "",
    scope: Scope | None = None,
) -> PatrolLog:
    """Record a patrol; a finding may open a hazard (``open_case="hazard"``, source 巡防) or a dispute at
    ``case_subject`` (default: the area's village or community) in the same transaction."""
    check_region_in_scope(scope, region)
    check_team_reachable(scope, team)
    check_choice(EntryType.DEFENCE_TYPE, defence_type, field="defence_type")
    if not defence_type:
        raise ValidationError({"defence_type": _("Choose the type of patrol (四防).")})
    check_not_in_future(started_at, field="started_at")
    check_not_in_future(ended_at, field="ended_at")
    log = PatrolLog(
        ref=ref or new_ref("XF"),
        team=team,
        shift=shift,
        region=region,
        started_at=started_at,
        ended_at=ended_at,
        route=route.strip(),
        defence_type=defence_type,
        participants=participants,
        residents_contacted=residents_contacted,
        findings=findings.strip(),
    )
    log.full_clean()  # the log's own rules before any case is opened
    log.hazard, log.dispute = open_finding_case(
        open_case=open_case,
        region=region,
        on=timezone.localtime(started_at).date(),
        text=findings,
        subject=case_subject,
        hazard_category=hazard_category,
        hazard_level=hazard_level,
        source="patrol",
        scope=scope,
    )
    log.save()
    audit_change(Action.CREATE, after=log)
    return log


LOG_EDITABLE = (
    "shift",
    "region",
    "started_at",
    "ended_at",
    "route",
    "defence_type",
    "participants",
    "residents_contacted",
    "findings",
)


@transaction.atomic
def patrol_log_update(
    *, log: PatrolLog, version: int | None, scope: Scope | None = None, **changes
) -> PatrolLog:
    """Correct a patrol log; a stale ``version`` changes nothing. The case a finding opened stays its own."""
    if unknown := set(changes) - set(LOG_EDITABLE):
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = lock_for_edit(log, version)
    check_region_in_scope(scope, current.region)
    if "region" in changes:
        check_region_in_scope(scope, changes["region"])
    if "defence_type" in changes:
        check_choice(
            EntryType.DEFENCE_TYPE, changes["defence_type"], field="defence_type", stored=current.defence_type
        )
    for field in ("started_at", "ended_at"):
        if field in changes:
            check_not_in_future(changes[field], field=field)
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated)
    return updated
