"""The key-person list's filters, shared by the list page, its CSV and Excel exports and the API."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.accounts.scope import request_scope
from sanling.core.record_filters import code_filter
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices
from sanling.regions.models import Region, subtree_q

from .models import KeyPerson, RiskLevel
from .selectors import overdue_q


def category_choices() -> list[tuple[str, str]]:
    return entry_choices(EntryType.KEY_PERSON_CATEGORY)


class KeyPersonFilter(django_filters.FilterSet):
    category = django_filters.ChoiceFilter(label=_("Category"), choices=category_choices)
    risk_level = django_filters.ChoiceFilter(
        label=pgettext_lazy("key people", "Risk level"), choices=RiskLevel.choices
    )
    region = code_filter(_("Region code"), method="filter_region")
    overdue = django_filters.BooleanFilter(
        label=pgettext_lazy("key people", "Visit overdue"),
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = KeyPerson
        fields = ["category", "risk_level", "region", "overdue"]

    def __init__(self, data=None, queryset=None, *, request=None, scope=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        scope = scope if scope is not None else request_scope(request)
        self.filters["region"].queryset = (
            scope.regions() if scope.region is not None or scope.everything else Region.objects.none()
        )

    def filter_region(self, queryset: QuerySet, name: str, region: Region | None) -> QuerySet:
        if region is None:
            return queryset
        return queryset.filter(subtree_q(region.path, via="region__"))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(overdue_q(timezone.localdate()))
