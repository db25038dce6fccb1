"""The audit trail over the API, for the audit role only."""

import django_filters
from rest_framework import mixins, serializers, viewsets

from sanling.api.views import ApiView
from sanling.personal.fields import masked_data

from .models import Action, AuditEntry, Source
from .selectors import audit_entries_for


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "chain",
            "seq",
            "at",
            "actor_name",
            "source",
            "ip",
            "action",
            "verb",
            "object_type",
            "object_key",
            "note",
            "changes",
            "prev_hash",
            "hash",
        ]

    def to_representation(self, instance):
        # Entries written before personal fields were masked hold them in clear; they stay stored as they
        # are (the chain covers them) but are answered masked, like everything else.
        data = super().to_representation(instance)
        changes = data.get("changes") or {}
        data["changes"] = {
            side: masked_data(instance.object_type, values) if isinstance(values, dict) else values
            for side, values in changes.items()
        }
        return data


class AuditEntryFilter(django_filters.FilterSet):
    action = django_filters.ChoiceFilter(choices=Action.choices)
    source = django_filters.ChoiceFilter(choices=Source.choices)
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = AuditEntry
        fields = [
            "chain",
            "object_type",
            "object_key",
            "actor_name",
            "action",
            "verb",
            "source",
            "since",
            "until",
        ]


class AuditEntryViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Who changed what, when and from where; newest first. Readable by auditors only.

    An entry is named by its ``id``: its ``seq`` counts within its chain (one per county, and ``global``)."""

    serializer_class = AuditEntrySerializer
    filterset_class = AuditEntryFilter
    ordering_fields = ["id", "at"]
    ordering = ["-id"]

    def get_queryset(self):
        return audit_entries_for(self.scope)
