"""Writes of meetings: a meeting with its attendance and problems in one transaction (a problem may open a
dispute case or a hazard there and then), edits of the record, problems added later, the rules of a kind and
a community adopting a kind.

Every write takes the writer's ``scope`` (None at the shell and in the demo): a community outside it is
refused in Chinese and nothing is written.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.events.services import new_ref
from sanling.patrols.services import OpenCase, check_not_in_future, check_region_in_scope, open_finding_case
from sanling.regions.models import Level, Region
from sanling.subjects.models import Subject

from .models import Attendance, Meeting, MeetingAdoption, MeetingKindRule, MeetingProblem, ParticipantCategory

# Meetings are held in a community or village (the seeds' 社区), or at a town for its communities.
MEETING_LEVELS = (Level.VILLAGE, Level.TOWN)


@dataclass(frozen=True)
class AttendeeInput:
    """One row of the attendance: category, name, present, and the post or subject if known."""

    category: str
    name: str
    present: bool = True
    post: object | None = None
    subject: Subject | None = None


@dataclass(frozen=True)
class ProblemInput:
    """A problem raised, and what it opens (``open_case``: "", "hazard" or "dispute") at ``subject``
    (default: the community's own subject)."""

    text: str
    open_case: str = OpenCase.NONE
    subject: Subject | None = None
    hazard_category: str = ""
    hazard_level: str = ""


def _attendee_problem(region: Region, row: AttendeeInput, scope: Scope | None) -> str:
    """Why an attendee cannot be recorded at a meeting held in ``region`` ("" if they can): the post they
    hold must stand in the community (or its grids), the subject must lie in the writer's scope."""
    if row.post is not None and not row.post.region.path.startswith(region.path):
        return _("the post is not one of this community's")
    if (
        row.subject is not None
        and scope is not None
        and not scope.everything
        and not scope.covers_place(row.subject.region, row.subject.department)
    ):
        return _("the subject is outside your area")
    return ""


def _check_attendance(
    kind: str, attendance: list[AttendeeInput], *, region: Region, scope: Scope | None
) -> list[Attendance]:
    rows = []
    for number, row in enumerate(attendance, start=1):
        if problem := _attendee_problem(region, row, scope):
            raise ValidationError(
                {"attendance": _("Row %(n)s: %(problem)s.") % {"n": number, "problem": problem}}
            )
        if row.category not in ParticipantCategory.values:
            raise ValidationError(
                {"attendance": _("Row %(n)s: choose a participant category.") % {"n": number}}
            )
        if not row.name.strip():
            raise ValidationError(
                {"attendance": _("Row %(n)s: give the participant's name.") % {"n": number}}
            )
        rows.append(
            Attendance(
                category=row.category,
                name=row.name.strip(),
                present=row.present,
                post=row.post,
                subject=row.subject,
            )
        )
    rule = MeetingKindRule.objects.filter(kind=kind).first()
    if rule is not None:
        present = {row.category for row in rows if row.present}
        missing = [code for code in rule.participant_categories if code not in present]
        if missing:
            labels = "、".join(str(ParticipantCategory(code).label) for code in missing)
            raise ValidationError(
                {
                    "attendance": _("This kind of meeting needs these participants present: %(missing)s.")
                    % {"missing": labels}
                }
            )
    return rows


def _add_problem(meeting: Meeting, problem: ProblemInput, *, scope: Scope | None) -> MeetingProblem:
    if not problem.text.strip():
        raise ValidationError({"problems": _("Describe the problem raised.")})
    try:
        hazard, dispute = open_finding_case(
            open_case=problem.open_case,
            region=meeting.region,
            on=meeting.held_on,
            text=problem.text,
            subject=problem.subject,
            hazard_category=problem.hazard_category,
            hazard_level=problem.hazard_level,
            source="meeting",
            scope=scope,
        )
    except ValidationError as error:  # said of the problem, whichever field the case refused
        raise ValidationError(
            {"problems": [message for messages in error.message_dict.values() for message in messages]}
        ) from None
    row = MeetingProblem(meeting=meeting, text=problem.text.strip(), hazard=hazard, dispute=dispute)
    row.full_clean()
    row.save()
    audit_change(Action.CREATE, after=row, instance=row)
    return row


@transaction.atomic
def meeting_create(
    *,
    region: Region,
    kind: str,
    held_on: datetime.date,
    place: str = "",
    minutes: str = "",
    attendance: list[AttendeeInput] = (),
    problems: list[ProblemInput] = (),
    ref: str = "",
    scope: Scope | None = None,
) -> Meeting:
    """Record a meeting held in a community with who attended (a kind with a rule needs each of its
    participant categories present) and the problems raised, opening their cases."""
    check_region_in_scope(scope, region)
    if not kind:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    check_choice(EntryType.MEETING_KIND, kind, field="kind")
    check_not_in_future(held_on, field="held_on")
    if region.level not in MEETING_LEVELS:
        raise ValidationError({"region": _("A meeting is held in a community, village or town.")})
    meeting = Meeting(
        ref=ref or new_ref("YS"),
        region=region,
        kind=kind,
        held_on=held_on,
        place=place.strip(),
        minutes=minutes.strip(),
    )
    meeting.full_clean()
    rows = _check_attendance(kind, list(attendance), region=region, scope=scope)
    meeting.save()
    for row in rows:
        row.meeting = meeting
    Attendance.objects.bulk_create(rows)
    audit_change(Action.CREATE, after=meeting)
    for problem in problems:
        _add_problem(meeting, problem, scope=scope)
    return meeting


MEETING_EDITABLE = ("held_on", "place", "minutes")


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, version: int | None, scope: Scope | None = None, **changes
) -> Meeting:
    """Correct a meeting's date, place or minutes; a stale ``version`` changes nothing."""
    if unknown := set(changes) - set(MEETING_EDITABLE):
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = lock_for_edit(meeting, version)
    check_region_in_scope(scope, current.region)
    if "held_on" in changes:
        check_not_in_future(changes["held_on"], field="held_on")
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    updated = save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=updated)
    return updated


@transaction.atomic
def meeting_attendee_add(
    *, meeting: Meeting, attendee: AttendeeInput, scope: Scope | None = None
) -> Attendance:
    """Add someone to a meeting's attendance (a latecomer, or the post or subject someone came for); with a
    post and no name, the post's holder."""
    check_region_in_scope(scope, meeting.region)
    if attendee.post is not None and not attendee.name.strip():
        attendee = AttendeeInput(
            category=attendee.category,
            name=attendee.post.holder_name,
            present=attendee.present,
            post=attendee.post,
            subject=attendee.subject,
        )
    if problem := _attendee_problem(meeting.region, attendee, scope):
        raise ValidationError({"attendance": problem})
    [row] = _check_attendance("", [attendee], region=meeting.region, scope=scope)
    row.meeting = meeting
    row.full_clean()
    row.save()
    # Filed as a change of the meeting (an attendee has no ref of their own).
    label = ParticipantCategory(row.category).label
    audit_change(
        Action.UPDATE, before={"attendee": ""}, after={"attendee": f"{label} {row.name}"}, instance=meeting
    )
    return row


@transaction.atomic
def meeting_problem_add(
    *, meeting: Meeting, problem: ProblemInput, scope: Scope | None = None
) -> MeetingProblem:
    """Add a problem raised at a meeting (recorded after it), opening its case if asked."""
    check_region_in_scope(scope, meeting.region)
    return _add_problem(meeting, problem, scope=scope)


@transaction.atomic
def meeting_problem_open(
    *,
    problem: MeetingProblem,
    open_case: str,
    subject: Subject | None = None,
    hazard_category: str = "",
    hazard_level: str = "",
    scope: Scope | None = None,
) -> MeetingProblem:
    """Open the case (立案 a dispute, or 上报隐患) of a problem recorded without one — with the meeting or
    after it (issue 15: each problem raised can open a case)."""
    problem = MeetingProblem.objects.select_for_update().select_related("meeting__region").get(pk=problem.pk)
    meeting = problem.meeting
    check_region_in_scope(scope, meeting.region)
    if problem.hazard_id or problem.dispute_id:
        raise ValidationError({"open_case": _("This problem has already opened a case.")})
    if open_case not in (OpenCase.HAZARD, OpenCase.DISPUTE):
        raise ValidationError({"open_case": _("Choose the case to open: a hazard or a dispute.")})
    try:
        hazard, dispute = open_finding_case(
            open_case=open_case,
            region=meeting.region,
            on=meeting.held_on,
            text=problem.text,
            subject=subject,
            hazard_category=hazard_category,
            hazard_level=hazard_level,
            source="meeting",
            scope=scope,
        )
    except ValidationError as error:
        raise ValidationError(
            {"open_case": [message for messages in error.message_dict.values() for message in messages]}
        ) from None
    before = {"hazard": "", "dispute": ""}
    problem.hazard, problem.dispute = hazard, dispute
    problem.save(update_fields=["hazard", "dispute"])
    audit_change(
        Action.UPDATE,
        before=before,
        after={"hazard": hazard.ref if hazard else "", "dispute": dispute.ref if dispute else ""},
        instance=problem,
    )
    return problem


@transaction.atomic
def meeting_rule_set(
    *, kind: str, frequency: str, participant_categories: list[str], level: str = "village"
) -> MeetingKindRule:
    """Set the rule of a kind (how often, which participants) — a county's configuration."""
    check_choice(EntryType.MEETING_KIND, kind, field="kind")
    rule = MeetingKindRule.objects.filter(kind=kind).first() or MeetingKindRule(kind=kind)
    before = snapshot(rule) if rule.pk else None
    rule.frequency, rule.participant_categories, rule.level = frequency, list(participant_categories), level
    rule.full_clean()
    rule.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=rule, instance=rule)
    return rule


@transaction.atomic
def meeting_adoption_create(
    *, region: Region, kind: str, since: datetime.date, scope: Scope | None = None
) -> MeetingAdoption:
    """A community adopts a kind of meeting from ``since`` on (with a monthly rule, a month without one is
    flagged from then)."""
    check_region_in_scope(scope, region)
    check_choice(EntryType.MEETING_KIND, kind, field="kind")
    if region.level != Level.VILLAGE:
        raise ValidationError({"region": _("A community or village adopts a kind of meeting.")})
    if MeetingAdoption.objects.filter(region=region, kind=kind).exists():
        raise ValidationError({"kind": _("This community already holds this kind of meeting.")})
    adoption = MeetingAdoption(region=region, kind=kind, since=since)
    adoption.full_clean()
    adoption.save()
    audit_change(Action.CREATE, after=adoption, instance=adoption)
    return adoption
