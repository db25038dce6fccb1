"""Reads of household visits and counts, always inside a scope."""

import datetime

from django.db.models import OuterRef, QuerySet, Subquery

from sanling.accounts.scope import Scope
from sanling.regions.models import Region

from .models import HouseholdCount, HouseholdVisit


def visits_for(scope: Scope) -> QuerySet[HouseholdVisit]:
    """The visits a user may see: those placed in their subtree (department users: none)."""
    return HouseholdVisit.objects.filter(scope.region_q()).select_related("region", "dispute")


def household_counts_for(scope: Scope) -> QuerySet[HouseholdCount]:
    return HouseholdCount.objects.filter(scope.region_q()).select_related("region")


def theme_labels() -> dict[str, str]:
    """Theme code -> label, every theme ever listed (disabled ones too, so old records keep their name)."""
    from sanling.dictionary.models import Entry, EntryType

    return dict(Entry.objects.filter(type=EntryType.VISIT_THEME).values_list("code", "label"))


def household_count_rows(
    region: Region, day: datetime.date, scope: Scope, regions: QuerySet[Region]
) -> list[dict]:
    """The counts page's rows: ``region`` and each region of ``regions`` one level below it, each with its
    latest count as of ``day`` and the households counted in its area (``figures.topmost``). Three queries."""
    from .figures import count_rows, topmost

    places = [region, *regions.filter(parent=region).order_by("code")]
    counts = household_counts_for(scope).filter(as_of__lte=day)
    newest = counts.filter(region=OuterRef("region")).order_by("-as_of").values("as_of")[:1]
    latest = {count.region_id: count for count in counts.filter(region__in=places, as_of=Subquery(newest))}
    counted = count_rows(region, day, scope)
    return [
        {"region": place, "count": latest.get(place.pk), "total": sum(topmost(counted, place.path).values())}
        for place in places
    ]
