"""The hazard list's filters, shared by the list page, the 隐患台账 (page and job) and the API."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import DATE, RecordFilter, code_filter
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices
from sanling.regions.models import Region, subtree_q

from .models import Hazard, HazardLevel, HazardStatus
from .selectors import overdue_q

OPEN = "open"


def category_choices():
    return entry_choices(EntryType.HAZARD_CATEGORY)


class HazardFilter(RecordFilter):
    date_field = "found_on"

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Not yet closed")), *HazardStatus.choices],
        method="filter_status",
    )
    level = django_filters.ChoiceFilter(label=_("Level"), choices=HazardLevel.choices)
    category = django_filters.ChoiceFilter(label=_("Category"), choices=category_choices)
    grid = code_filter(_("Grid code"), method="filter_grid")
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", "—"), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )
    found_from = django_filters.DateFilter(
        label=_("From"), field_name="found_on", lookup_expr="gte", widget=DATE
    )
    found_to = django_filters.DateFilter(label=_("To"), field_name="found_on", lookup_expr="lte", widget=DATE)

    class Meta:
        model = Hazard
        fields = [
            "status",
            "level",
            "category",
            "overdue",
            "period",
            "region",
            "grid",
            "department",
            "subject",
            "found_from",
            "found_to",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["grid"].queryset = self.filters["region"].queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OPEN:
            return queryset.exclude(status=HazardStatus.CLOSED)
        return queryset.filter(status=value)

    def filter_grid(self, queryset: QuerySet, name: str, region: Region | None) -> QuerySet:
        if region is None:
            return queryset
        return queryset.filter(subtree_q(region.path, via="grid__"))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
