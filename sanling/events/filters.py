"""The event list's filters, shared by the list page, its Excel export and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import DATE, RecordFilter

from .models import Event, EventStatus, EventType, PetitionLevel


class EventFilter(RecordFilter):
    date_field = "occurred_on"

    type = django_filters.ChoiceFilter(label=_("Type"), choices=EventType.choices)
    petition_level = django_filters.ChoiceFilter(label=_("Petition level"), choices=PetitionLevel.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=EventStatus.choices)
    occurred_from = django_filters.DateFilter(
        label=_("From"), field_name="occurred_on", lookup_expr="gte", widget=DATE
    )
    occurred_to = django_filters.DateFilter(
        label=_("To"), field_name="occurred_on", lookup_expr="lte", widget=DATE
    )

    class Meta:
        model = Event
        fields = [
            "type",
            "status",
            "period",
            "region",
            "department",
            "subject",
            "petition_level",
            "occurred_from",
            "occurred_to",
        ]
