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

from .models import Subject, SubjectPlacement

EDITABLE_FIELDS = (
    "name",
    "kind",
    "category",
    "region",
    "department",
    "uscc",
    "address",
    "contact_name",
    "contact_phone",
    "joined_on",
    "retired_on",
)


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
    moved = (
        "" if correction else verb_if_changed(before, subject, "region", "department", verb="subject.moved")
    )
    audit_change(
        Action.UPDATE,
        before=before,
        after=subject,
        note=audit_note("correction") if correction else "",
        verb=moved,
    )
    return subject


def _place(subject: Subject, moved_on: datetime.date, correction: bool) -> None:
    current = SubjectPlacement.objects.select_for_update().get(subject=subject, valid_to__isnull=True)
    if correction:
        current.region, current.department = subject.region, subject.department
        current.save(update_fields=["region", "department"])
        return
    if current.valid_from is not None and moved_on <= current.valid_from:
        raise ValidationError(
            {
                "region": _("The move date must be after the previous move on %(date)s.")
                % {"date": current.valid_from}
            }
        )
    current.valid_to = moved_on
    current.save(update_fields=["valid_to"])
    SubjectPlacement.objects.create(
        subject=subject, region=subject.region, department=subject.department, valid_from=moved_on
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
