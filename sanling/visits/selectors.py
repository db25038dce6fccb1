"""Reads of household visits and counts, always inside a scope."""

from django.db.models import QuerySet

from sanling.accounts.scope import Scope

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
