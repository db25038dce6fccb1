"""Writes of 交办: giving an assignment (by hand or from a warning list), its feedback with evidence, and the
giver accepting (已办结) or returning it (退回). Each write checks who may act, writes the assignment, its
timeline entry and the audit entry together, or nothing: a refusal is a Chinese message."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanling.accounts.scope import Scope, scope_for
from sanling.audit.context import current_actor
from sanling.audit.models import Action
from sanling.audit.services import Change, audit_change, audit_changes, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.events.services import new_ref
from sanling.organisations.models import Organisation
from sanling.regions.models import Level, Region, codes_in_path
from sanling.subjects.models import Subject
from sanling.work.attachments import _receive, _store, clean_name
from sanling.work.transitions import TransitionRefused

from .models import Assignment, AssignmentEntry, AssignmentSource, AssignmentStatus, Evidence

GIVER_LEVELS = (Level.COUNTY, Level.TOWN)  # 交办 from the county or a town (the seeds' 区 and 镇/街道)


def _actor_user():
    user = current_actor().user
    return user if getattr(user, "is_authenticated", False) else None


# The user the demo and the shell act as: both sides at once (a person never is; views pass the request's user).
SYSTEM = object()


def is_receiver(assignment: Assignment, user) -> bool:
    """Whether ``user`` acts for the receiving organisation: its owner, its head or one of its members."""
    if user is SYSTEM:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or assignment.owner_id == user.pk:
        return True
    organisation = assignment.organisation
    return organisation.head_id == user.pk or organisation.members.filter(pk=user.pk).exists()


def is_giver(assignment: Assignment, user) -> bool:
    """Whether ``user`` acts for the giving side: a supervisor (county administrator, town operator) whose area
    holds the giving county or town."""
    if user is SYSTEM:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_for(user)
    if scope.everything:
        return True
    return (
        scope.can_supervise
        and scope.region is not None
        and assignment.giver_region.path.startswith(scope.region.path)
    )


def _entry(assignment, *, action, on, from_status, to_status, note="") -> AssignmentEntry:
    return AssignmentEntry.objects.create(
        assignment=assignment,
        action=action,
        on=on,
        actor=_actor_user(),
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def _check_giver(scope: Scope | None, giver_region: Region, organisation: Organisation) -> None:
    if giver_region.level not in GIVER_LEVELS:
        raise ValidationError({"giver_region": _("Assignments are given by a county or a town.")})
    if not organisation.active:
        raise ValidationError({"organisation": _("This organisation is no longer active.")})
    if not organisation.region.path.startswith(giver_region.path):
        raise ValidationError(
            {"organisation": _("The receiving organisation must stand in the giver's area.")}
        )
    if scope is None:
        return
    if not (scope.everything or (scope.can_supervise and scope.region is not None)):
        raise PermissionDenied(_("Only the county or a town gives assignments."))
    if not scope.everything and not giver_region.path.startswith(scope.region.path):
        raise PermissionDenied(_("You may only give assignments in your own area."))


@transaction.atomic
def assignment_create(
    *,
    giver_region: Region,
    organisation: Organisation,
    issue: str,
    due_on: datetime.date,
    owner=None,
    subjects: Iterable[Subject] = (),
    given_on: datetime.date | None = None,
    giver_organisation: Organisation | None = None,
    source: str = AssignmentSource.MANUAL,
    ref: str = "",
    scope: Scope | None = None,
) -> Assignment:
    """Give ``organisation`` an assignment: ``issue`` to handle by ``due_on``, owned by ``owner`` (one of its
    members or its head; by default its head). ``scope`` is the giver's (None at the shell and in the demo)."""
    given_on = given_on or timezone.localdate()
    issue = (issue or "").strip()
    if not issue:
        raise ValidationError({"issue": _("Say what is to be done.")})
    if due_on is None:
        raise ValidationError({"due_on": _("Give a deadline.")})
    if due_on < given_on:
        raise ValidationError({"due_on": _("The deadline cannot be before the day the assignment is given.")})
    _check_giver(scope, giver_region, organisation)
    owner = owner or organisation.head
    if owner is not None and not (
        organisation.head_id == owner.pk or organisation.members.filter(pk=owner.pk).exists()
    ):
        raise ValidationError({"owner": _("The owner must be the head or a member of the organisation.")})
    if giver_organisation is None:  # the giver's 综治中心, where it has one (the seeds' 三级综治中心)
        giver_organisation = (
            Organisation.objects.filter(region=giver_region, kind="comprehensive_centre", active=True)
            .order_by("code")
            .first()
        )
    subjects = list(subjects)
    if scope is not None:
        outside = [subject for subject in subjects if not scope.subjects().filter(pk=subject.pk).exists()]
        if outside:
            raise ValidationError({"subjects": _("A subject is outside your area.")})
    assignment = Assignment(
        ref=ref or new_ref("JB"),
        giver_region=giver_region,
        giver_organisation=giver_organisation,
        organisation=organisation,
        region=organisation.region,
        department=organisation.department,
        owner=owner,
        issue=issue,
        given_on=given_on,
        due_on=due_on,
        source=source,
        created_by=_actor_user(),
    )
    assignment.full_clean()
    assignment.save()
    if subjects:
        assignment.subjects.set(subjects)
    _entry(assignment, action="give", on=given_on, from_status="", to_status=assignment.status, note=issue)
    audit_change(Action.CREATE, after=assignment)
    return assignment


@dataclass
class WarningPick:
    """A subject picked from a warning list, with the reasons it was listed (in Chinese)."""

    subject: Subject
    reasons: list[str] = field(default_factory=list)


@dataclass
class FromWarnings:
    created: list[Assignment]
    without_organisation: list[Subject]  # subjects no organisation stands over (nothing was given for them)


def organisation_for_subject(subject: Subject, *, giver_region: Region) -> Organisation | None:
    """The organisation that answers for ``subject`` below the giver: its department's office for a unit
    under a department, else the nearest active organisation on the way up from the subject's place (its
    village, then its town), not the giver's own level."""
    within = Organisation.objects.filter(active=True, region__path__startswith=giver_region.path)
    if subject.department_id:
        office = within.filter(department_id=subject.department_id).order_by("region__path", "code").first()
        if office is not None:
            return office
    codes = codes_in_path(subject.region.path)
    candidates = list(
        within.filter(region__code__in=codes, department__isnull=True)
        .exclude(region=giver_region)
        .select_related("region")
    )
    if not candidates:
        return None
    kind_rank = {"comprehensive_centre": 0, "mediation_centre": 1}
    return min(
        candidates,
        key=lambda org: (-len(org.region.path), kind_rank.get(org.kind, 2), org.code),
    )


@transaction.atomic
def assignments_from_warnings(
    *,
    giver_region: Region,
    picks: Iterable[WarningPick],
    due_on: datetime.date,
    given_on: datetime.date | None = None,
    heading: str = "",
    scope: Scope | None = None,
) -> FromWarnings:
    """One step from a warning list to 交办: the picked subjects grouped by the organisation that answers for
    each (``organisation_for_subject``), one assignment per organisation naming its subjects and why each was
    listed. Subjects without such an organisation are returned, not given."""
    by_organisation: dict[int, tuple[Organisation, list[WarningPick]]] = {}
    without = []
    for pick in picks:
        if scope is not None and not scope.subjects().filter(pk=pick.subject.pk).exists():
            raise ValidationError({"subjects": _("A subject is outside your area.")})
        organisation = organisation_for_subject(pick.subject, giver_region=giver_region)
        if organisation is None:
            without.append(pick.subject)
            continue
        by_organisation.setdefault(organisation.pk, (organisation, []))[1].append(pick)
    if not by_organisation and not without:
        raise ValidationError({"subjects": _("Pick at least one subject from the warning list.")})
    created = []
    for organisation, rows in by_organisation.values():
        lines = [
            heading or _("Please check and rectify the following warnings, and feed back with evidence:")
        ]
        for row in rows:
            reasons = "；".join(row.reasons) if row.reasons else _("listed on the warning list")
            lines.append(f"{row.subject.name}（{row.subject.code}）：{reasons}")
        created.append(
            assignment_create(
                giver_region=giver_region,
                organisation=organisation,
                issue="\n".join(lines),
                due_on=due_on,
                subjects=[row.subject for row in rows],
                given_on=given_on,
                source=AssignmentSource.WARNING,
                scope=scope,
            )
        )
    return FromWarnings(created=created, without_organisation=without)


def _refuse(assignment: Assignment, action_label: str) -> TransitionRefused:
    return TransitionRefused(
        _("An assignment that is “%(status)s” cannot be “%(action)s”.")
        % {"status": assignment.get_status_display(), "action": action_label}
    )


def _evidence_add(assignment: Assignment, entry: AssignmentEntry, upload) -> Evidence:
    temporary, sha256, size, content_type = _receive(upload)
    try:
        evidence = Evidence(
            assignment=assignment,
            entry=entry,
            sha256=sha256,
            name=clean_name(getattr(upload, "name", "")),
            content_type=content_type,
            size=size,
            uploaded_by=_actor_user(),
        )
        evidence.full_clean()
        evidence.save()
        _store(temporary, sha256)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    audit_changes(
        [
            Change(
                Action.CREATE,
                "evidence",
                str(evidence.pk),
                assignment.region.path,
                after={"assignment": assignment.ref, "name": evidence.name, "sha256": sha256, "size": size},
                verb="assignment.evidence_added",
            )
        ]
    )
    return evidence


def _check_on(on: datetime.date, assignment: Assignment) -> None:
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date of a step cannot be in the future.")})
    if on < assignment.given_on:
        raise ValidationError({"on": _("This step cannot be dated before the assignment was given.")})


@transaction.atomic
def assignment_feedback(
    *,
    assignment: Assignment,
    text: str,
    evidence: Iterable = (),
    late_reason: str = "",
    on: datetime.date | None = None,
    version: int | None = None,
    user=None,
) -> Assignment:
    """反馈: the receiving organisation says what it did, with at least one evidence file; after the deadline
    it also says why it is late. Only its owner, head or members may."""
    user = user or _actor_user()
    on = on or timezone.localdate()
    current = lock_for_edit(assignment, version)
    if not is_receiver(current, user):
        raise PermissionDenied(_("Only the receiving organisation feeds back on an assignment."))
    if current.status != AssignmentStatus.PENDING:
        raise _refuse(current, _("fed back"))
    _check_on(on, current)
    text = (text or "").strip()
    late_reason = (late_reason or "").strip()
    uploads = [upload for upload in evidence if upload]
    problems = {}
    if not text:
        problems["text"] = _("Say what was done.")
    if not uploads:
        problems["evidence"] = _("Attach at least one evidence file (a photo, a scan or a PDF).")
    if on > current.due_on and not late_reason:
        problems["late_reason"] = _("The deadline (%(date)s) has passed: say why the feedback is late.") % {
            "date": current.due_on.isoformat()
        }
    if problems:
        raise ValidationError(problems)
    before = snapshot(current)
    from_status = current.status
    current.status = AssignmentStatus.FED_BACK
    current.feedback = text
    current.fed_back_on = on
    current.late_reason = late_reason if on > current.due_on else ""
    save_next_version(current)
    entry = _entry(
        current, action="feedback", on=on, from_status=from_status, to_status=current.status, note=text
    )
    for upload in uploads:
        _evidence_add(current, entry, upload)
    audit_change(Action.UPDATE, before=before, after=current, verb="assignment.fed_back")
    return current


@transaction.atomic
def assignment_accept(
    *,
    assignment: Assignment,
    note: str = "",
    on: datetime.date | None = None,
    version: int | None = None,
    user=None,
) -> Assignment:
    """办结: the giver accepts the feedback; the assignment is closed."""
    user = user or _actor_user()
    on = on or timezone.localdate()
    current = lock_for_edit(assignment, version)
    if not is_giver(current, user):
        raise PermissionDenied(_("Only the giving side accepts or returns an assignment."))
    if current.status != AssignmentStatus.FED_BACK:
        raise _refuse(current, pgettext("assignment", "accepted"))
    _check_on(on, current)
    before = snapshot(current)
    current.status = AssignmentStatus.DONE
    current.concluded_on = on
    save_next_version(current)
    _entry(
        current,
        action="accept",
        on=on,
        from_status=AssignmentStatus.FED_BACK,
        to_status=current.status,
        note=(note or "").strip(),
    )
    audit_change(Action.UPDATE, before=before, after=current, verb="assignment.accepted")
    return current


@transaction.atomic
def assignment_return(
    *,
    assignment: Assignment,
    reason: str,
    on: datetime.date | None = None,
    version: int | None = None,
    user=None,
) -> Assignment:
    """退回: the giver does not accept the feedback; back to 待反馈 with the reason, to be fed back again."""
    user = user or _actor_user()
    on = on or timezone.localdate()
    current = lock_for_edit(assignment, version)
    if not is_giver(current, user):
        raise PermissionDenied(_("Only the giving side accepts or returns an assignment."))
    if current.status != AssignmentStatus.FED_BACK:
        raise _refuse(current, _("returned"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the feedback is returned.")})
    _check_on(on, current)
    before = snapshot(current)
    current.status = AssignmentStatus.PENDING
    current.returns += 1
    save_next_version(current)
    _entry(
        current,
        action="return",
        on=on,
        from_status=AssignmentStatus.FED_BACK,
        to_status=current.status,
        note=reason,
    )
    audit_change(Action.UPDATE, before=before, after=current, verb="assignment.returned")
    return current
