"""Filters of the petition, 积案 and 信访代理 lists, shared by each list page and its Excel ledger, so a
ledger holds exactly the rows its list shows."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import request_scope
from sanling.core.record_filters import DATE, RecordFilter, code_filter
from sanling.events.models import PetitionLevel
from sanling.regions.models import Region, subtree_q

from .models import AgencyCase, AgencyStep, Backlog, Channel, Petition, PetitionStep
from .selectors import overdue_q

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no_filter(label, method: str):
    return django_filters.ChoiceFilter(label=label, choices=YES_NO, method=method)


def _yes_no(queryset: QuerySet, value: str, condition) -> QuerySet:
    if value == "yes":
        return queryset.filter(condition)
    if value == "no":
        return queryset.exclude(condition)
    return queryset


class PetitionFilter(RecordFilter):
    """信访台账: step, level, channel, overdue, 积案, the received dates, and where (period, region,
    department, subject)."""

    date_field = "received_on"

    step = django_filters.ChoiceFilter(label=_("Step"), choices=PetitionStep.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PetitionLevel.choices)
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    overdue = yes_no_filter(_("Overdue"), "filter_overdue")
    backlog = yes_no_filter(_("Backlog case"), "filter_backlog")
    received_from = django_filters.DateFilter(
        label=_("From"), field_name="received_on", lookup_expr="gte", widget=DATE
    )
    received_to = django_filters.DateFilter(
        label=_("To"), field_name="received_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Petition
        fields = [
            "step",
            "level",
            "channel",
            "overdue",
            "backlog",
            "period",
            "received_from",
            "received_to",
            "region",
            "department",
            "subject",
        ]

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _yes_no(queryset, value, overdue_q("case__"))

    def filter_backlog(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _yes_no(queryset, value, Q(case__backlog=True))


class AgencyFilter(RecordFilter):
    """信访代理台账: step, the application dates, and where."""

    date_field = "applied_on"

    step = django_filters.ChoiceFilter(label=_("Step"), choices=AgencyStep.choices)
    applied_from = django_filters.DateFilter(
        label=_("From"), field_name="applied_on", lookup_expr="gte", widget=DATE
    )
    applied_to = django_filters.DateFilter(
        label=_("To"), field_name="applied_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = AgencyCase
        fields = ["step", "period", "applied_from", "applied_to", "region", "department", "subject"]


class BacklogFilter(django_filters.FilterSet):
    """积案台账: open or resolved, overdue (化解时限 passed while open), the kind of case and the region."""

    OPEN = [("open", _("Not yet resolved")), ("closed", _("Resolved"))]

    state = django_filters.ChoiceFilter(label=_("State"), choices=OPEN, method="filter_state")
    overdue = yes_no_filter(_("Overdue"), "filter_overdue")
    kind = django_filters.ChoiceFilter(
        label=_("Kind"),
        field_name="item__kind",
        choices=[("dispute", _("Dispute")), ("petition", _("Petition")), ("agency", _("Petition agency"))],
    )
    region = code_filter(_("Region code"), method="filter_region")
    flagged_from = django_filters.DateFilter(
        label=_("From"), field_name="flagged_on", lookup_expr="gte", widget=DATE
    )
    flagged_to = django_filters.DateFilter(
        label=_("To"), field_name="flagged_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Backlog
        fields = ["state", "overdue", "kind", "region", "flagged_from", "flagged_to"]

    def __init__(self, data=None, queryset=None, *, request=None, scope=None, prefix=None):
        # A page passes its request; a background job (no request) passes its owner's scope.
        super().__init__(data, queryset, request=request, prefix=prefix)
        scope = scope if scope is not None else request_scope(request)
        self.filters["region"].queryset = scope.regions()
        self.filters["region"].field.widget = forms.TextInput()

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "open":
            return queryset.filter(item__closed_on__isnull=True)
        if value == "closed":
            return queryset.filter(item__closed_on__isnull=False)
        return queryset

    def filter_overdue(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        late = Q(item__closed_on__isnull=True, deadline__lt=timezone.localdate())
        return _yes_no(queryset, value, late)

    def filter_region(self, queryset: QuerySet, name: str, region: Region | None) -> QuerySet:
        if region is None:
            return queryset
        return queryset.filter(subtree_q(region.path, via="item__subject__region__"))
