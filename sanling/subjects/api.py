"""Subjects over the API: the list's filters, CRUD through the subject services, and status per period.

Contact names and phones are masked in every answer; ``POST …/unmask/`` with a reason returns them in clear
to a user who may unmask (``personal.access.may_unmask``), and the read is audited with the reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.cases import UnmaskSerializer
from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.assessment.models import ZEROS
from sanling.assessment.periods import parse_assessable
from sanling.assessment.selectors import default_period, subject_status
from sanling.departments.models import Department
from sanling.personal.access import may_unmask
from sanling.personal.fields import masked_data
from sanling.personal.forms import keep_if_masked
from sanling.personal.services import personal_unmask
from sanling.regions.models import Region

from .filters import SubjectFilter
from .models import Subject
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
        return masked_data("subject", super().to_representation(instance))

    def validate_contact_name(self, value: str) -> str:
        return self._keep_if_masked("contact_name", value)

    def validate_contact_phone(self, value: str) -> str:
        return self._keep_if_masked("contact_phone", value)

    def _keep_if_masked(self, name: str, value: str) -> str:
        """A masked value sent back as it was read (a PUT of a GET's body) keeps the stored value."""
        if self.instance is None or isinstance(self.instance, list | tuple):
            return value
        return keep_if_masked("subject", name, value, getattr(self.instance, name) or "")

    def validate(self, attrs):
        scope = self.context["view"].scope
        region = attrs.get("region", getattr(self.instance, "region", None))
        department = attrs.get("department", getattr(self.instance, "department", None))
        if region is not None and not scope.covers_place(region, department):
            raise serializers.ValidationError(
                {"region": [_("The subject would lie outside the part of the county you work on.")]}
            )
        return attrs


class ContactSerializer(serializers.Serializer):
    code = serializers.CharField()
    contact_name = serializers.CharField(allow_blank=True)
    contact_phone = serializers.CharField(allow_blank=True)


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

    @extend_schema(request=UnmaskSerializer, responses=ContactSerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request, code=None):
        """The subject's contact name and phone in clear, for a user who may see them and says why; the read
        is audited with the reason. 403 for a role that may not unmask, 400 without a reason."""
        subject = self.get_object()
        if not may_unmask(self.scope):
            raise PermissionDenied(_("You may not see personal data in clear."))
        body = UnmaskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            contact = personal_unmask(
                user=request.user,
                instance=subject,
                fields=["contact_name", "contact_phone"],
                reason=body.validated_data["reason"],
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(
            ContactSerializer({"code": subject.code, **contact}).data, headers={"Cache-Control": "no-store"}
        )

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
