"""The ledger's filters (status, overdue, week, organisation), shared by the page, its Excel export and the
API. An organisation code outside the user's area is a Chinese message, never a silently empty list."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import request_scope
from sanling.core.record_filters import CodeFilter
from sanling.organisations.models import Organisation

from .models import Assignment, AssignmentStatus
from .selectors import overdue_q

OPEN = "open"


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(OPEN, _("Not yet concluded")), *AssignmentStatus.choices],
        method="filter_status",
    )
    overdue = django_filters.BooleanFilter(
        label=_("Overdue"),
        method="filter_overdue",
        widget=forms.Select(choices=[("", "—"), ("true", _("Overdue only")), ("false", _("Not overdue"))]),
    )
    week = django_filters.CharFilter(
        label=_("Week"),
        field_name="week",
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 2026年第48周")}),
    )
    organisation = CodeFilter(
        label=_("Organisation"),
        field_name="organisation",
        queryset=Organisation.objects.none(),
        to_field_name="code",
        error_messages={"invalid_choice": _("No such code in your area: “%(value)s”.")},
    )

    class Meta:
        model = Assignment
        fields = ["status", "overdue", "week", "organisation"]

    def __init__(self, data=None, queryset=None, *, request=None, scope=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        scope = scope if scope is not None else request_scope(request)
        self.filters["organisation"].queryset = scope.organisations().order_by("region__path", "code")

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == OPEN:
            return queryset.exclude(status=AssignmentStatus.DONE)
        return queryset.filter(status=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
