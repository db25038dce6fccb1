"""The visit list's filters, shared by the list page, the 走访台账 (and its background job) and the API."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import request_scope
from sanling.core.record_filters import DATE, PeriodFilter, code_filter
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices
from sanling.regions.models import Region, subtree_q

from .models import HouseholdCount, HouseholdVisit, normalise_household


def theme_choices() -> list[tuple[str, str]]:
    return entry_choices(EntryType.VISIT_THEME)


class VisitFilter(django_filters.FilterSet):
    """Period (or from/to), region (its whole subtree), theme, household."""

    period = PeriodFilter(label=_("Period"), field_name="visited_on")
    region = code_filter(_("Region code"), method="filter_region")
    theme = django_filters.ChoiceFilter(label=_("Theme"), choices=theme_choices)
    household = django_filters.CharFilter(label=_("Household"), method="filter_household")
    visited_from = django_filters.DateFilter(
        label=_("From"), field_name="visited_on", lookup_expr="gte", widget=DATE
    )
    visited_to = django_filters.DateFilter(
        label=_("To"), field_name="visited_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = HouseholdVisit
        fields = ["period", "region", "theme", "household", "visited_from", "visited_to"]

    def __init__(self, data=None, queryset=None, *, request=None, scope=None, prefix=None):
        # A page passes its request; a background job (no request) passes its owner's scope.
        super().__init__(data, queryset, request=request, prefix=prefix)
        scope = scope if scope is not None else request_scope(request)
        self.filters["region"].queryset = scope.regions()

    def filter_region(self, queryset: QuerySet, name: str, region: Region | None) -> QuerySet:
        return queryset if region is None else queryset.filter(subtree_q(region.path, via="region__"))

    def filter_household(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        house = normalise_household(value)
        return queryset.filter(household__contains=house) if house else queryset


class HouseholdCountFilter(django_filters.FilterSet):
    region = code_filter(_("Region code"), method="filter_region")

    class Meta:
        model = HouseholdCount
        fields = ["region"]

    def __init__(self, data=None, queryset=None, *, request=None, scope=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        scope = scope if scope is not None else request_scope(request)
        self.filters["region"].queryset = scope.regions()

    def filter_region(self, queryset: QuerySet, name: str, region: Region | None) -> QuerySet:
        return queryset if region is None else queryset.filter(subtree_q(region.path, via="region__"))
