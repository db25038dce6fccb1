"""The dispute list's filters, shared by the list page, its Excel export and the API."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import DATE, RecordFilter
from sanling.dictionary.selectors import dispute_category_choices

from .models import Dispute, DisputeStatus

UNRESOLVED = "unresolved"


class DisputeFilter(RecordFilter):
    date_field = "reported_on"

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(UNRESOLVED, _("Not yet resolved")), *DisputeStatus.choices],
        method="filter_status",
    )
    category = django_filters.ChoiceFilter(label=_("Category"), choices=dispute_category_choices)
    reported_from = django_filters.DateFilter(
        label=_("From"), field_name="reported_on", lookup_expr="gte", widget=DATE
    )
    reported_to = django_filters.DateFilter(
        label=_("To"), field_name="reported_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Dispute
        fields = [
            "status",
            "category",
            "period",
            "region",
            "department",
            "subject",
            "reported_from",
            "reported_to",
        ]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == UNRESOLVED:  # 未化解: everything not (yet) resolved, escalated and failed included
            return queryset.exclude(status=DisputeStatus.RESOLVED)
        return queryset.filter(status=value)
