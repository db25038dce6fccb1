"""/api/v1/ endpoints of hazards: ``inspections`` (list, read, record with checklist results) and ``hazards``
(list, read, report, and the case's moves ``rectify``, ``request-recheck``, ``recheck`` and its ``timeline``),
scoped like every case of issue 17: 404 outside the caller's area, 409 for a move the lifecycle refuses (or a
stale ``version``), 400 with a Chinese message for a bad value. The moves take JSON, or multipart/form-data
with ``photo`` files (photos of the fix); a photo attached first through ``/cases/{ref}/attachments/`` counts
too for ``request-recheck``."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from sanling.accounts.scope import request_scope
from sanling.api.cases import CaseActionsMixin, StepSerializer, TimelineEntrySerializer, timeline_response
from sanling.api.fields import ScopedSlugField
from sanling.api.parsers import JSONParser
from sanling.api.views import ApiView, etag
from sanling.departments.models import Department
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import enabled_codes
from sanling.organisations.models import Organisation
from sanling.personal.fields import personal_columns
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .filters import HazardFilter
from .models import (
    ChecklistItem,
    Hazard,
    HazardLevel,
    HazardSource,
    Inspection,
    InspectionResult,
    InspectorKind,
)
from .selectors import hazards_for, inspections_for
from .services import (
    hazard_recheck,
    hazard_rectify,
    hazard_register,
    hazard_request_recheck,
    inspection_create,
)

STEP_DOC = (
    "Answers the hazard as it now is; 409 when the lifecycle refuses the move, 400 for a bad date or photo."
)


class InspectionRefField(serializers.SlugRelatedField):
    """An inspection named by its ref, among those the caller sees."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="ref", **kwargs)

    def get_queryset(self):
        return inspections_for(request_scope(self.context["request"]))


class ResultSerializer(serializers.ModelSerializer):
    item = serializers.PrimaryKeyRelatedField(
        queryset=ChecklistItem.objects.all(),
        required=False,
        allow_null=True,
        help_text="the checklist item's id",
    )

    class Meta:
        model = InspectionResult
        fields = ["item", "text", "passed", "note"]
        extra_kwargs = {"text": {"required": False}}


class InspectionSerializer(serializers.ModelSerializer):
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), help_text="the subject's code")
    grid = ScopedSlugField("regions", queryset=Region.objects.none(), required=False, allow_null=True)
    department = ScopedSlugField(
        "departments", queryset=Department.objects.none(), required=False, allow_null=True, help_text="code"
    )
    results = ResultSerializer(many=True, required=False)
    hazards = serializers.SlugRelatedField(many=True, read_only=True, slug_field="ref")

    class Meta:
        model = Inspection
        fields = [
            "ref",
            "subject",
            "grid",
            "inspected_on",
            "inspection_type",
            "by_kind",
            "department",
            "note",
            "results",
            "hazards",
            "version",
            "created_at",
        ]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "given by the caller or generated"},
        }


class InspectionViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Inspections (排查) of a subject by a department, a town or the unit itself, with the checklist results."""

    serializer_class = InspectionSerializer
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["inspected_on", "ref"]
    ordering = ["-inspected_on", "ref"]
    filterset_fields = ["inspection_type", "by_kind"]

    def get_queryset(self):
        return inspections_for(request_scope(self.request)).prefetch_related("results", "hazards")

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        results = fields.pop("results", [])
        serializer.instance = inspection_create(inspector=self.request.user, results=results, **fields)


class HazardSerializer(serializers.ModelSerializer):
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), help_text="the subject's code")
    grid = ScopedSlugField("regions", queryset=Region.objects.none(), required=False, allow_null=True)
    inspection = InspectionRefField(required=False, allow_null=True, help_text="the inspection's ref")
    owner = ScopedSlugField(
        "reachable_organisations",
        source="owner_organisation",
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        help_text="code of the organisation that rectifies it (default: the town's 综治中心)",
    )
    due_on = serializers.DateField(source="case.due_on", read_only=True, allow_null=True)
    closed_on = serializers.DateField(source="case.closed_on", read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Hazard
        fields = [
            "ref",
            "subject",
            "grid",
            "inspection",
            "category",
            "level",
            "description",
            "found_on",
            "source",
            "owner",
            "owner_person",
            "status",
            "due_on",
            "closed_on",
            "rectified_on",
            "overdue",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["ref", "status", "rectified_on"]

    def get_overdue(self, hazard) -> bool:
        from django.utils import timezone

        case = hazard.case
        return case.closed_on is None and case.due_on is not None and case.due_on < timezone.localdate()

    def validate_category(self, value: str) -> str:
        if value not in enabled_codes(EntryType.HAZARD_CATEGORY):
            raise serializers.ValidationError(
                serializers.ErrorDetail(str(_category_message(value)), code="invalid")
            )
        return value


def _category_message(value):
    from django.utils.translation import gettext as _

    return _("“%(value)s” is not in the list of hazard categories.") % {"value": value}


class RectifySerializer(StepSerializer):
    photo = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="photos (multipart/form-data), optional"
    )


class RequestRecheckSerializer(RectifySerializer):
    pass


class RecheckSerializer(RectifySerializer):
    passed = serializers.BooleanField(help_text="true: 复查通过 (closed); false: back to 整改")
    due_on = serializers.DateField(
        required=False, allow_null=True, help_text="not passed: a later deadline (with a reason in note)"
    )


def _photos(values: dict) -> dict:
    values["photos"] = values.pop("photo", []) or []
    return values


class HazardViewSet(
    CaseActionsMixin,
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Hazards (隐患) found at a subject, each a case: 整改中 → 申请复查 → 复查通过 or back to 整改."""

    serializer_class = HazardSerializer
    filterset_class = HazardFilter
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["found_on", "ref", "updated_at"]
    ordering = ["-found_on", "ref"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            hazards_for(request_scope(self.request))
            .select_related("subject", "inspection", "case")
            .defer(*personal_columns(Subject, "subject__"))
        )

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        owner = fields.pop("owner_organisation", None)
        fields.setdefault("level", HazardLevel.GENERAL)
        fields.setdefault("source", HazardSource.INSPECTION)
        serializer.instance = hazard_register(owner=owner, **fields)

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if response.status_code == 201:
            response["ETag"] = etag(response.data["version"])
        return response

    @extend_schema(request=RectifySerializer, responses=HazardSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def rectify(self, request, ref=None):
        """整改: a rectification measure (``note``), with photos; the hazard stays 整改中."""
        return self.run_step(
            request,
            RectifySerializer,
            lambda hazard, version, values: hazard_rectify(hazard=hazard, version=version, **_photos(values)),
        )

    @extend_schema(request=RequestRecheckSerializer, responses=HazardSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"], url_path="request-recheck")
    def request_recheck(self, request, ref=None):
        """申请复查: the fix is done; at least one photo of it (sent here or attached just before)."""
        return self.run_step(
            request,
            RequestRecheckSerializer,
            lambda hazard, version, values: hazard_request_recheck(
                hazard=hazard, version=version, **_photos(values)
            ),
        )

    @extend_schema(request=RecheckSerializer, responses=HazardSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def recheck(self, request, ref=None):
        """复查, by someone other than who rectified it: ``passed`` closes it; not passed sends it back to 整改,
        the deadline kept or moved to ``due_on`` with a reason in ``note``."""
        return self.run_step(
            request,
            RecheckSerializer,
            lambda hazard, version, values: hazard_recheck(hazard=hazard, version=version, **_photos(values)),
        )

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, ref=None):
        """Every step of the hazard's case in order."""
        return timeline_response(self.get_object().case)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("inspections", InspectionViewSet, basename="inspection")
    router.register("hazards", HazardViewSet, basename="hazard")
    return []


__all__ = ["InspectorKind"]
