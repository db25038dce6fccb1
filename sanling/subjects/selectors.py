"""Reads of subjects for screens: the month-by-month status of a year and the history of a subject."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, Max, Min, OuterRef, QuerySet
from django.utils.translation import gettext as _

from sanling.assessment.engine import is_active, policies_for
from sanling.assessment.models import ZEROS
from sanling.assessment.periods import Period
from sanling.assessment.selectors import SubjectStatus, subject_status
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.work.models import WorkItem

from .models import Subject


def record_days_by_code(codes: Iterable[str]) -> dict[str, tuple[datetime.date, datetime.date]]:
    """Subject code -> the first and last day of its events and disputes (codes without any are left out)."""
    days: dict[str, list[datetime.date]] = defaultdict(list)
    for model, field in ((Event, "occurred_on"), (Dispute, "reported_on")):
        rows = (
            model.objects.filter(subject__code__in=list(codes))
            .values("subject__code")
            .annotate(first=Min(field), last=Max(field))
            .values_list("subject__code", "first", "last")
            .order_by()
        )
        for code, first, last in rows:
            days[code] += [first, last]
    return {code: (min(found), max(found)) for code, found in days.items()}


@dataclass
class YearStatus:
    year: Period
    months: list[SubjectStatus]
    total: SubjectStatus


def subject_year_status(*, subject: Subject, year: int) -> YearStatus:
    """The status of each month of ``year`` and of the year, with the events that broke each zero."""
    months = [subject_status(subject=subject, period=Period.month(year, month)) for month in range(1, 13)]
    whole = Period.of_year(year)
    return YearStatus(whole, months, subject_status(subject=subject, period=whole))


def breaking_events(subjects: QuerySet[Subject], period: Period) -> dict[int, dict[str, list[Event]]]:
    """Subject id -> zero -> the events that broke it in ``period`` under the policy in force, for every
    subject of ``subjects`` that broke one (one query per zero, however many subjects)."""
    policy = policies_for([period])[period.key]
    found: dict[int, dict[str, list[Event]]] = defaultdict(dict)
    for zero in ZEROS:
        events = Event.objects.filter(
            policy.breaking_q(zero),
            subject__in=subjects.order_by().values("pk"),
            occurred_on__range=(period.start, period.end),
        ).order_by("occurred_on", "ref")
        for event in events:
            found[event.subject_id].setdefault(zero, []).append(event)
    return found


def compliance_cells(subject: Subject, period: Period, breaking: dict[str, list[Event]]) -> tuple[str, str]:
    """(达标情况, why not) of a subject in ``period`` as a ledger shows them."""
    if not is_active(subject.joined_on, subject.retired_on, period):
        return _("Not in the campaign"), ""
    if not breaking:
        return _("Compliant"), ""
    broken_by = {
        "petition": _("Zero petitions broken by"),
        "accident": _("Zero accidents broken by"),
        "case": _("Zero cases broken by"),
    }
    reasons = [
        f"{broken_by[zero]}{event.occurred_on.isoformat()} {event.title}"
        for zero in ZEROS
        for event in breaking.get(zero, [])
    ]
    return _("Not compliant"), "；".join(reasons)


def subject_open_cases(subject: Subject) -> list[WorkItem]:
    """The subject's cases still being worked (no 办结 date), soonest due first, each with ``has_dispute``
    (a case that began as a dispute opens on the dispute's page, whatever it has become since)."""
    return list(
        WorkItem.objects.filter(subject=subject, closed_on__isnull=True)
        .select_related("organisation", "handler")
        .annotate(has_dispute=Exists(Dispute.objects.filter(case=OuterRef("pk"))))
        .order_by("due_on", "ref")[:100]
    )
