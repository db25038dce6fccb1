"""Subjects over the API: the list's filters, CRUD through the subject services, and status per period.

Contact phones are masked, except for administrators reading one subject; that read is audited.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet, etag
from sanling.assessment.models import ZEROS
from sanling.assessment.periods import parse_assessable
from sanling.assessment.selectors import default_period, subject_status
from sanling.audit.services import audit_read
from sanling.departments.models import Department
from sanling.regions.models import Region

from .filters import SubjectFilter
from .models import Subject
from .selectors import mask_phone
from .services import EDITABLE_FIELDS, subject_create, subject_delete, subject_update


class SubjectSerializer(serializers.ModelSerializer):
    region = ScopedSlugField("regions", queryset=Region.objects.none(), help_text="region code")
    department = ScopedSlugField(
        "departments",
        queryset=Department.objects.none(),
        allow_null=True,
        required=False,
        help_text="department code (enterprises and institutions)",
    )
    group = serializers.CharField(read_only=True, help_text="village (村社区) or unit (企事业)")
    moved_on = serializers.DateField(
        write_only=True,
        required=False,
        help_text="when a new region or department takes effect (default today); earlier periods keep the old",
    )

    class Meta:
        model = Subject
        fields = ["code", *EDITABLE_FIELDS, "group", "moved_on", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["code"].read_only = True

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("full_contact"):
            data["contact_phone"] = mask_phone(instance.contact_phone)
        return data

    def validate(self, attrs):
        scope = self.context["view"].scope
        region = attrs.get("region", getattr(self.instance, "region", None))
        department = attrs.get("department", getattr(self.instance, "department", None))
        if region is not None and not scope.covers_place(region, department):
            raise serializers.ValidationError(
                {"region": [_("The subject would lie outside the part of the county you work on.")]}
            )
        return attrs


class ZeroSerializer(serializers.Serializer):
    holds = serializers.BooleanField()
    events = serializers.ListField(
        child=serializers.CharField(), help_text="refs of the events that broke it"
    )


class StatusSerializer(serializers.Serializer):
    subject = serializers.CharField()
    period = serializers.CharField()
    active = serializers.BooleanField()
    compliant = serializers.BooleanField(allow_null=True)
    petition = ZeroSerializer()
    accident = ZeroSerializer()
    case = ZeroSerializer()


class SubjectFilterBackend(DjangoFilterBackend):
    """The web list's filters, which need the user (scoped choices) and the default period."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        return kwargs | {"scope": request_scope(request), "default_period": default_period()}


class SubjectViewSet(RecordViewSet):
    """Villages, communities, enterprises and institutions of the campaign."""

    serializer_class = SubjectSerializer
    filter_backends = [SubjectFilterBackend, OrderingFilter]
    filterset_class = SubjectFilter
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["code", "name", "joined_on"]
    ordering = ["code"]

    def get_queryset(self):
        return request_scope(self.request).subjects().select_related("region", "department")

    def retrieve(self, request, *args, **kwargs):
        subject = self.get_object()
        full_contact = self.scope.can_administer and bool(subject.contact_phone or subject.contact_name)
        if full_contact:
            audit_read(object_type="subject", object_key=subject.code, region_path=subject.region.path)
        data = self.get_serializer(
            subject, context=self.get_serializer_context() | {"full_contact": full_contact}
        ).data
        return Response(data, headers={"ETag": etag(subject.version)})

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        fields.pop("moved_on", None)
        serializer.instance = subject_create(**fields)

    def update_record(self, instance, version: int, changes: dict):
        return subject_update(subject=instance, version=version, **changes)

    def delete_record(self, instance, version: int) -> None:
        subject_delete(subject=instance, version=version)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "period",
                str,
                description="2025, 2025Q3 or 2025-07 (default: the year the dashboard opens on)",
            )
        ],
        responses=StatusSerializer,
    )
    @action(detail=True, methods=["get"])
    def status(self, request, code=None):
        """Whether the subject held each zero in a period, and the events that broke it."""
        subject = self.get_object()
        text = request.query_params.get("period")
        try:
            period = parse_assessable(text, today=timezone.localdate()) if text else default_period()
        except ValidationError as error:
            raise serializers.ValidationError({"period": error.messages}) from None
        status = subject_status(subject=subject, period=period)
        data = {
            "subject": subject.code,
            "period": period.key,
            "active": status.active,
            "compliant": status.compliant,
        }
        for zero in ZEROS:
            data[zero] = {
                "holds": status.holds(zero),
                "events": [event.ref for event in status.breaking[zero]],
            }
        return Response(StatusSerializer(data).data)
