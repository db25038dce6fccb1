"""Filters of the event and dispute lists, shared by the list pages, their Excel exports and the API.

Every value a user can type is checked: a period that is not one (or lies outside what can be assessed),
or a region, department or subject code outside the user's area, is a Chinese message on that filter
rather than a silently empty (or silently unfiltered) list.
"""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from sanling.accounts.scope import request_scope
from sanling.assessment.periods import Period, parse_assessable
from sanling.regions.models import Region, subtree_q

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PeriodField(forms.CharField):
    """A month (2025-03), quarter (2025Q1) or year (2025) that can be assessed (``parse_assessable``), as a
    ``Period``: a Chinese error for 2025Q9 or 2099."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": _("e.g. 2025, 2025Q3 or 2025-07")}))
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        return parse_assessable(text, today=timezone.localdate()) if text else None


@extend_schema_field(OpenApiTypes.STR)  # the API schema: a string (its pattern is added in api.schema)
class PeriodFilter(django_filters.Filter):
    """Records whose date (``field_name``) falls in the period."""

    field_class = PeriodField

    def filter(self, qs: QuerySet, value: Period | None) -> QuerySet:
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__range": (value.start, value.end)})


@extend_schema_field(OpenApiTypes.STR)  # the API schema: a code, not the object's primary key
class CodeFilter(django_filters.ModelChoiceFilter):
    pass


def code_filter(label, *, field_name: str = "", method: str | None = None, widget=forms.TextInput):
    """A region, department or subject named by its code, looked up in the user's scope (set per request)."""
    return CodeFilter(
        label=label,
        field_name=field_name,
        method=method,
        queryset=Region.objects.none(),  # replaced by the user's own in RecordFilter.__init__
        to_field_name="code",
        widget=widget,
        error_messages={"invalid_choice": _("No such code in your area: “%(value)s”.")},
    )


class RecordFilter(django_filters.FilterSet):
    """What events and disputes are filtered by: period, region (its whole subtree), department, subject."""

    date_field = ""  # occurred_on or reported_on

    period = PeriodFilter(label=_("Period"))
    region = code_filter(_("Region code"), method="filter_region")
    department = code_filter(_("Department"), field_name="subject__department", widget=forms.Select)
    subject = code_filter(_("Subject code"), field_name="subject")

    def __init__(self, data=None, queryset=None, *, request=None, scope=None, prefix=None):
        # A page passes its request; a background job (no request) passes its owner's scope.
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["period"].field_name = self.date_field
        scope = scope if scope is not None else request_scope(request)
        self.filters["region"].queryset = scope.regions()
        self.filters["department"].queryset = scope.departments().order_by("code")
        self.filters["subject"].queryset = scope.subjects()

    def filter_region(self, queryset: QuerySet, name: str, region: Region | None) -> QuerySet:
        if region is None:
            return queryset
        return queryset.filter(subtree_q(region.path, via="subject__region__"))
