"""The filters of the petition, 信访代理 and 积案 lists, shared by the API (and the list pages to come)."""

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import DATE, RecordFilter, TrueOrFalseFilter
from sanling.events.models import PetitionLevel

from .models import AgencyCase, AgencyStep, Petition, PetitionStep


class PetitionFilter(RecordFilter):
    """Petitions by step, level, when they came in, and whether they are overdue or on the 积案 ledger."""

    date_field = "received_on"

    step = django_filters.ChoiceFilter(label=_("Step"), choices=PetitionStep.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=PetitionLevel.choices)
    received_from = django_filters.DateFilter(
        label=_("From"), field_name="received_on", lookup_expr="gte", widget=DATE
    )
    received_to = django_filters.DateFilter(
        label=_("To"), field_name="received_on", lookup_expr="lte", widget=DATE
    )
    overdue = TrueOrFalseFilter(label=_("Overdue"), method="filter_overdue")
    backlog = TrueOrFalseFilter(label=_("Backlog case"), field_name="case__backlog")

    class Meta:
        model = Petition
        fields = [
            "step",
            "level",
            "period",
            "region",
            "department",
            "subject",
            "received_from",
            "received_to",
            "overdue",
            "backlog",
        ]

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        late = {"case__closed_on__isnull": True, "case__due_on__lt": timezone.localdate()}
        return queryset.filter(**late) if value else queryset.exclude(**late)


class AgencyCaseFilter(RecordFilter):
    date_field = "applied_on"

    step = django_filters.ChoiceFilter(label=_("Step"), choices=AgencyStep.choices)

    class Meta:
        model = AgencyCase
        fields = ["step", "period", "region", "department", "subject"]
