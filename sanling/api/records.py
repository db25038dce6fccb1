"""What the event and dispute endpoints share: the subject named by its code inside the caller's scope,
and CRUD through the record's services."""

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from sanling.core.validators import REF_TAKEN
from sanling.subjects.models import Subject

from .fields import ScopedSlugField
from .views import RecordViewSet


class DatedRecordSerializer(serializers.ModelSerializer):
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), help_text="the subject's code")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["ref"].read_only = True  # a record keeps its reference for life
        for validator in self.fields["ref"].validators:
            if isinstance(validator, UniqueValidator):
                validator.message = REF_TAKEN  # never "exists": the clash may be in another town


class DatedRecordViewSet(RecordViewSet):
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    create_service = None
    update_service = None
    delete_service = None
    record_argument = ""  # the services' keyword for the record: "event" or "dispute"

    def perform_create(self, serializer) -> None:
        serializer.instance = self.create_service(**serializer.validated_data)

    def update_record(self, instance, version: int, changes: dict):
        return self.update_service(**{self.record_argument: instance}, version=version, **changes)

    def delete_record(self, instance, version: int) -> None:
        self.delete_service(**{self.record_argument: instance}, version=version)
