"""Reads of meetings through the reader's scope, and the flag the seeds' "10" asks for: a community that
adopted a monthly kind (the 510: "“10”即每月召开一次会议") and held none in a month."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.dictionary.models import Entry, EntryType
from sanling.regions.models import Region, subtree_q

from .models import Frequency, Meeting, MeetingAdoption, MeetingKindRule


def meetings_for(scope: Scope) -> QuerySet[Meeting]:
    """Meetings held in the reader's subtree."""
    return Meeting.objects.filter(scope.region_q()).select_related("region")


def kind_labels() -> dict[str, str]:
    """code -> label of the ``meeting_kind`` list (disabled values too, so old meetings keep their label)."""
    return dict(Entry.objects.filter(type=EntryType.MEETING_KIND).values_list("code", "label"))


@dataclass(frozen=True)
class MissingMeeting:
    """A month in which a community that adopted a monthly kind held no meeting of it."""

    region: Region
    kind: str
    month: Period


def months_due(period: Period, *, since: datetime.date, today: datetime.date) -> list[Period]:
    """The months of ``period`` a monthly meeting was due in: from the month of ``since`` on, and only months
    that have ended by ``today`` (the current month may still hold its meeting)."""
    months = []
    year, month = period.start.year, period.start.month
    while True:
        current = Period.month(year, month)
        if current.start > period.end:
            break
        if current.end >= since and current.end < today:
            months.append(current)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def adoptions_due(region: Region, *, scope: Scope | None = None) -> QuerySet[MeetingAdoption]:
    """Adoptions in ``region``'s subtree of kinds whose rule is monthly."""
    monthly = MeetingKindRule.objects.filter(frequency=Frequency.MONTHLY).values("kind")
    adoptions = MeetingAdoption.objects.filter(subtree_q(region.path, via="region__"), kind__in=monthly)
    if scope is not None:
        adoptions = adoptions.filter(scope.region_q())
    return adoptions.select_related("region").order_by("region__code", "kind")


def monthly_status(
    region: Region, period: Period, *, scope: Scope | None = None, today: datetime.date | None = None
) -> tuple[int, list[MissingMeeting]]:
    """(community-months due, those missing) in ``region``'s subtree for ``period``. Two queries."""
    today = today or timezone.localdate()
    adoptions = list(adoptions_due(region, scope=scope))
    if not adoptions:
        return 0, []
    held = set(
        Meeting.objects.filter(
            region_id__in={adoption.region_id for adoption in adoptions},
            kind__in={adoption.kind for adoption in adoptions},
            held_on__range=(period.start, period.end),
        ).values_list("region_id", "kind", "held_on__year", "held_on__month")
    )
    due = 0
    missing = []
    for adoption in adoptions:
        for month in months_due(period, since=adoption.since, today=today):
            due += 1
            if (adoption.region_id, adoption.kind, month.start.year, month.start.month) not in held:
                missing.append(MissingMeeting(region=adoption.region, kind=adoption.kind, month=month))
    return due, missing


def communities_missing(
    region: Region, period: Period, *, scope: Scope | None = None, today: datetime.date | None = None
) -> list[MissingMeeting]:
    """Each community of ``region``'s subtree and month of ``period`` (ended by ``today``) in which a
    monthly kind it adopted was not held: the flag of the meetings list."""
    return monthly_status(region, period, scope=scope, today=today)[1]
