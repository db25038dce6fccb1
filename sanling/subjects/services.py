"""Writes of subjects. Every one keeps the 达标率 rollups right in the same transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.assessment.services import rollups_maintained
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit
from sanling.core.queries import chunks, filter_in

from .models import SUBJECT_FIELDS, Subject, SubjectPlacement

EDITABLE_FIELDS = tuple(name for name in SUBJECT_FIELDS if name != "code")


@transaction.atomic
def subject_create(**fields) -> Subject:
    """Add a subject (it counts from ``joined_on`` on) and its first placement."""
    subject = Subject(**fields)
    subject.full_clean()
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
    moved_on: datetime.date | None = None,
    correction: bool = False,
    **changes,
) -> Subject:
    """Change a subject. A new region or department is a move on ``moved_on`` (default today): the
    periods before it stay with the old place. ``correction=True`` fixes a wrong place everywhere instead."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    with rollups_maintained(subject_ids=[subject.pk]):
        subject = lock_for_edit(subject, version)
        before = snapshot(subject)
        old_place = (subject.region_id, subject.department_id)
        for name, value in changes.items():
            setattr(subject, name, value)
        subject.full_clean()
        if (subject.region_id, subject.department_id) != old_place:
            _place(subject, moved_on or timezone.localdate(), correction)
        subject.version = F("version") + 1
        subject.save()
        subject.refresh_from_db()
    audit_change(Action.UPDATE, before=before, after=subject, note=_("correction") if correction else "")
    return subject


def _place(subject: Subject, moved_on: datetime.date, correction: bool) -> None:
    if correction:
        SubjectPlacement.objects.filter(subject=subject, valid_to__isnull=True).update(
            region=subject.region, department=subject.department
        )
        return
    placement_move(subjects=[subject], moved_on=moved_on)


def placement_move_error(*, placed_since: datetime.date | None, moved_on: datetime.date) -> str:
    """Why a subject whose open placement began on ``placed_since`` cannot move on ``moved_on`` ("" if it
    may). A move is dated after the previous one, so every day has one place: a second move on the same
    day is refused (a wrong place is fixed as a correction instead)."""
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
    """The subject leaves the campaign: it no longer counts in periods after ``retired_on``."""
    return subject_update(subject=subject, version=version, retired_on=retired_on)


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
