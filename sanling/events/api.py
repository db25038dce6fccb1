"""Events over the API: list, filter, read, record, change and delete, through the event services."""

from rest_framework import serializers

from sanling.accounts.scope import request_scope
from sanling.api.records import DatedRecordSerializer, DatedRecordViewSet
from sanling.personal.fields import personal_columns
from sanling.subjects.models import Subject

from .filters import EventFilter
from .models import EVENT_FIELDS, Event
from .services import event_create, event_delete, event_update


class HazardRefField(serializers.SlugRelatedField):
    """The hazard an accident came from, by its ref, among the hazards the caller sees."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="ref", **kwargs)

    def get_queryset(self):
        from sanling.hazards.selectors import hazards_for

        return hazards_for(request_scope(self.context["request"]))


class EventSerializer(DatedRecordSerializer):
    hazard = HazardRefField(
        required=False,
        allow_null=True,
        help_text="the ref of the hazard (隐患) of the same subject it came from",
    )

    class Meta:
        model = Event
        fields = ["ref", "subject", *EVENT_FIELDS, "hazard", "version", "created_at", "updated_at"]
        extra_kwargs = {"ref": {"required": False, "help_text": "given by the caller or generated"}}


class EventViewSet(DatedRecordViewSet):
    """Events that can break a zero: petitions, production accidents, public-safety events and cases."""

    serializer_class = EventSerializer
    filterset_class = EventFilter
    ordering_fields = ["occurred_on", "ref", "updated_at"]
    ordering = ["-occurred_on", "ref"]
    record_argument = "event"
    create_service = staticmethod(event_create)
    update_service = staticmethod(event_update)
    delete_service = staticmethod(event_delete)

    def get_queryset(self):
        # The subject's contact data is not part of the answer: left unread, nothing is decrypted.
        return (
            request_scope(self.request)
            .events()
            .select_related("subject")
            .defer(*personal_columns(Subject, "subject__"))
        )
