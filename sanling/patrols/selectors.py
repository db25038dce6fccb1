"""Reads of patrols, each through the reader's scope (records placed in a region: ``Scope.region_q``)."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.dictionary.models import Entry, EntryType
from sanling.regions.models import codes_in_path

from .models import PatrolLog, PatrolTeam


def teams_for(scope: Scope) -> QuerySet[PatrolTeam]:
    """Teams working in the reader's subtree, and those working the regions above it (a street's 守护 team
    patrols its communities: the community's grid worker logs its patrols there)."""
    condition = scope.region_q()
    if scope.region is not None and scope.sees_business_data and not scope.everything:
        condition |= Q(region__code__in=codes_in_path(scope.region.path))
    return PatrolTeam.objects.filter(condition).select_related("region", "organisation")


def logs_for(scope: Scope) -> QuerySet[PatrolLog]:
    """Patrol logs of areas in the reader's subtree."""
    return PatrolLog.objects.filter(scope.region_q()).select_related(
        "team", "shift", "region", "hazard", "dispute"
    )


def day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) in local time: the instants of a range of days."""
    zone = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=zone),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone),
    )


def defence_labels() -> dict[str, str]:
    """code -> label of the 四防 list (disabled values too, so old logs keep their label)."""
    return dict(Entry.objects.filter(type=EntryType.DEFENCE_TYPE).values_list("code", "label"))
