"""Writes of subjects. Every one keeps the 达标率 rollups right in the same transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.assessment.services import rollups_maintained
from sanling.audit.models import Action
from sanling.audit.services import audit_change, audit_note, snapshot, verb_if_changed
from sanling.core.concurrency import lock_for_edit
from sanling.core.queries import chunks, filter_in
from sanling.departments.models import Department
from sanling.regions.models import Region

from .models import SUBJECT_FIELDS, VILLAGE_KINDS, Subject, SubjectPlacement, subject_record_days_errors
from .selectors import record_days_by_code

EDITABLE_FIELDS = tuple(name for name in SUBJECT_FIELDS if name != "code")


class Unchanged:
    """The value of a ``subject_update`` argument that was not given: the field keeps its value."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = Unchanged()


@transaction.atomic
def subject_create(
    *,
    code: str,
    name: str,
    kind: str,
    region: Region,
    joined_on: datetime.date,
    category: str = "",
    department: Department | None = None,
    uscc: str = "",
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    retired_on: datetime.date | None = None,
) -> Subject:
    """Add a subject (it counts from ``joined_on`` on) and its first placement."""
    subject = Subject(
        code=code,
        name=name,
        kind=kind,
        category=category,
        region=region,
        department=department,
        uscc=uscc,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
        joined_on=joined_on,
        retired_on=retired_on,
    )
    _check(subject)
    with rollups_maintained(subject_ids=[]) as created:
        subject.save()
        SubjectPlacement.objects.create(subject=subject, region=subject.region, department=subject.department)
        created.add(subject.pk)
    audit_change(Action.CREATE, after=subject)
    return subject


@transaction.atomic
def subject_update(
    *,
    subject: Subject,
    version: int | None,
    name: str | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    category: str | Unchanged = UNCHANGED,
    region: Region | Unchanged = UNCHANGED,
    department: Department | None | Unchanged = UNCHANGED,
    uscc: str | Unchanged = UNCHANGED,
    address: str | Unchanged = UNCHANGED,
    contact_name: str | Unchanged = UNCHANGED,
    contact_phone: str | Unchanged = UNCHANGED,
    joined_on: datetime.date | Unchanged = UNCHANGED,
    retired_on: datetime.date | None | Unchanged = UNCHANGED,
    moved_on: datetime.date | None = None,
    correction: bool = False,
    note: str = "",
) -> Subject:
    """Change a subject; the arguments not given keep their value. A new region or department is a move on
    ``moved_on`` (default today): the periods before it stay with the old place. ``correction=True`` fixes
    a wrong place everywhere instead. A stale ``version`` changes nothing."""
    given = {
        "name": name,
        "kind": kind,
        "category": category,
        "region": region,
        "department": department,
        "uscc": uscc,
        "address": address,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "joined_on": joined_on,
        "retired_on": retired_on,
    }
    changes = {field: value for field, value in given.items() if value is not UNCHANGED}
    with rollups_maintained(subject_ids=[subject.pk]):
        subject = lock_for_edit(subject, version)
        before = snapshot(subject)
        old_place = (subject.region_id, subject.department_id)
        for field, value in changes.items():
            setattr(subject, field, value)
        _check(
            subject,
            retiring=retired_on is not UNCHANGED and retired_on is not None,
            rejoining=joined_on is not UNCHANGED,
        )
        if (subject.region_id, subject.department_id) != old_place:
            if not correction:
                _check_move_date(subject, moved_on or timezone.localdate())
            _place(subject, moved_on or timezone.localdate(), correction)
        subject.version = F("version") + 1
        subject.save()
        subject.refresh_from_db()
    moved = (
        "" if correction else verb_if_changed(before, subject, "region", "department", verb="subject.moved")
    )
    audit_change(
        Action.UPDATE,
        before=before,
        after=subject,
        note=note or (audit_note("correction") if correction else ""),
        verb=moved,
    )
    return subject


def subject_move(
    *,
    subject: Subject,
    version: int | None,
    region: Region,
    department: Department | None,
    moved_on: datetime.date,
) -> Subject:
    """Move a subject to another region or department as of ``moved_on`` (a move, not a correction): the
    periods before that day stay with the old place."""
    if (region.pk, getattr(department, "pk", None)) == (subject.region_id, subject.department_id):
        place = f"{region.name} {department.name}" if department else region.name
        raise ValidationError({"region": _("The subject already stands at %(place)s.") % {"place": place}})
    return subject_update(
        subject=subject,
        version=version,
        region=region,
        department=department,
        moved_on=moved_on,
        note=audit_note("moved on %(date)s", date=moved_on.isoformat()),
    )


def _check(subject: Subject, *, retiring: bool = False, rejoining: bool = False) -> None:
    """The subject's own rules (``full_clean``), and those that look at other rows."""
    errors: dict[str, list[str]] = {}
    if subject.region_id and (taken := village_node_error(subject)):
        errors["region"] = [taken]
    if (retiring or rejoining) and subject.pk:
        first, last = record_days_by_code([subject.code]).get(subject.code, (None, None))
        dates = subject_record_days_errors(
            name=subject.name,
            joined_on=subject.joined_on if rejoining else None,
            retired_on=subject.retired_on if retiring else None,
            first_record=first,
            last_record=last,
        )
        for field, message in dates.items():
            errors[field] = [message]
    try:  # a second village subject on the node is said above, in words, rather than as a constraint's name
        subject.full_clean(validate_constraints="region" not in errors)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def village_node_error(subject: Subject) -> str | None:
    """Why ``subject`` (a village or community) cannot stand at its region: another one is there already.
    Said in words here; the database constraint behind it would only give its name."""
    if subject.kind not in VILLAGE_KINDS:
        return None
    other = (
        Subject.objects.filter(region_id=subject.region_id, kind__in=VILLAGE_KINDS)
        .exclude(pk=subject.pk)
        .first()
    )
    if other is None:
        return None
    return _("%(region)s already has a village or community subject (%(code)s).") % {
        "region": subject.region.name,
        "code": other.code,
    }


def _check_move_date(subject: Subject, moved_on: datetime.date) -> None:
    """A move happens while the subject is in the campaign (``placement_move_error``), and not ahead of today."""
    if error := placement_move_error(
        placed_since=None, moved_on=moved_on, joined_on=subject.joined_on, retired_on=subject.retired_on
    ):
        raise ValidationError({"moved_on": error})
    if moved_on > timezone.localdate():
        raise ValidationError({"moved_on": _("The date %(date)s is in the future.") % {"date": moved_on}})


def _place(subject: Subject, moved_on: datetime.date, correction: bool) -> None:
    if correction:
        SubjectPlacement.objects.filter(subject=subject, valid_to__isnull=True).update(
            region=subject.region, department=subject.department
        )
        return
    placement_move(subjects=[subject], moved_on=moved_on)


def placement_move_error(
    *,
    placed_since: datetime.date | None,
    moved_on: datetime.date,
    joined_on: datetime.date | None = None,
    retired_on: datetime.date | None = None,
) -> str:
    """Why a subject whose open placement began on ``placed_since`` cannot move on ``moved_on`` ("" if it
    may). A move happens while the subject is in the campaign (from ``joined_on`` to ``retired_on``), and
    after the previous one, so every day has one place: a second move on the same day is refused (a wrong
    place is fixed as a correction instead)."""
    if joined_on and moved_on < joined_on:
        return _("The move date cannot be before the subject joined on %(date)s.") % {
            "date": joined_on.isoformat()
        }
    if retired_on and moved_on > retired_on:
        return _("The move date cannot be after the subject retired on %(date)s.") % {
            "date": retired_on.isoformat()
        }
    if placed_since is not None and moved_on <= placed_since:
        return _("The move date must be after the previous move on %(date)s.") % {"date": placed_since}
    return ""


def placement_move(*, subjects: list[Subject], moved_on: datetime.date) -> None:
    """Move ``subjects`` (their region and department already set) on ``moved_on``: each one's open
    placement ends there and a new one begins, so the periods before stay with the old place.

    The one way a placement moves, for the subject services and the importer alike; the caller keeps the
    rollups right (``rollups_maintained``, or the import's rebuild)."""
    if not subjects:
        return
    current = dict(
        filter_in(
            SubjectPlacement.objects.select_for_update()
            .filter(valid_to__isnull=True)
            .values_list("subject_id", "valid_from"),
            "subject_id",
            [subject.pk for subject in subjects],
        )
    )
    for subject in subjects:
        if error := placement_move_error(placed_since=current[subject.pk], moved_on=moved_on):
            raise ValidationError({"region": error})
    for chunk in chunks(subject.pk for subject in subjects):
        SubjectPlacement.objects.filter(subject_id__in=chunk, valid_to__isnull=True).update(valid_to=moved_on)
    SubjectPlacement.objects.bulk_create(
        (
            SubjectPlacement(
                subject_id=subject.pk,
                region_id=subject.region_id,
                department_id=subject.department_id,
                valid_from=moved_on,
            )
            for subject in subjects
        ),
        batch_size=1000,
    )


def subject_retire(*, subject: Subject, version: int | None, retired_on: datetime.date) -> Subject:
    """The subject leaves the campaign (退出): it counts in no period after the one holding ``retired_on``.
    Refused before the day it joined or before an event or dispute on record."""
    return subject_update(
        subject=subject,
        version=version,
        retired_on=retired_on,
        note=audit_note("retired on %(date)s", date=retired_on.isoformat()),
    )


@transaction.atomic
def subject_delete(*, subject: Subject, version: int | None) -> None:
    """Remove a subject entered in error. One with events or disputes must be retired instead, so the
    periods it took part in keep their figures."""
    with rollups_maintained(subject_ids=[subject.pk]):
        current = lock_for_edit(subject, version)
        if current.events.exists() or current.disputes.exists():
            raise ValidationError(
                _("%(name)s has events or disputes on record; retire it instead of deleting it.")
                % {"name": current.name}
            )
        SubjectPlacement.objects.filter(subject=current).delete()
        current.delete()
    audit_change(Action.DELETE, before=current)
