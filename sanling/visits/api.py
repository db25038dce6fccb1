"""/api/v1/ endpoints of visits: ``visits`` (list, filter, create, PATCH with the version, delete, and
``{ref}/dispute/`` to open a dispute from a finding) and ``households`` (the household counts)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator

from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.core.validators import REF_TAKEN
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .filters import HouseholdCountFilter, VisitFilter
from .models import HouseholdCount, HouseholdVisit
from .selectors import household_counts_for, visits_for
from .services import (
    household_count_create,
    household_count_update,
    household_visit_create,
    household_visit_delete,
    household_visit_open_dispute,
    household_visit_update,
)


class ScopedPostField(serializers.PrimaryKeyRelatedField):
    """A grid post by its id, looked up among the caller's posts only."""

    def get_queryset(self):
        from sanling.grids.selectors import scoped_posts

        return scoped_posts(self.context["view"].scope)


class HouseholdVisitSerializer(serializers.ModelSerializer):
    post = ScopedPostField(
        required=False,
        allow_null=True,
        help_text="id of the grid post the visit was made in (default: the visitor's own post covering the place)",
    )
    region = ScopedSlugField(
        "regions", queryset=Region.objects.none(), help_text="the region's code (village, grid or building)"
    )
    dispute = serializers.SlugRelatedField(
        slug_field="ref", read_only=True, help_text="the dispute opened from a finding"
    )

    class Meta:
        model = HouseholdVisit
        fields = [
            "ref",
            "region",
            "household",
            "visited_on",
            "theme",
            "persons_met",
            "visitor_name",
            "post",
            "findings",
            "dispute",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["version", "created_at", "updated_at"]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "given by the caller or generated"},
            "household": {"help_text": "门牌号/户号; stored normalised (full-width folded, spaces dropped)"},
            "theme": {"help_text": "a code of the visit_theme list (六促六防 …)"},
            "persons_met": {"help_text": "people met on the visit (人次), from 1 to 50"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["ref"].read_only = True
        for validator in self.fields["ref"].validators:
            if isinstance(validator, UniqueValidator):
                validator.message = REF_TAKEN


class VisitDisputeSerializer(serializers.Serializer):
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), help_text="the subject's code")
    summary = serializers.CharField()
    category = serializers.CharField(required=False, allow_blank=True, default="")


class VisitViewSet(RecordViewSet):
    """Household visits (走访) in the caller's area."""

    serializer_class = HouseholdVisitSerializer
    filterset_class = VisitFilter
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["visited_on", "ref", "updated_at"]
    ordering = ["-visited_on", "ref"]

    def get_queryset(self):
        return visits_for(self.scope)

    def perform_create(self, serializer) -> None:
        serializer.instance = household_visit_create(
            scope=self.scope, visitor=self.request.user, **serializer.validated_data
        )

    def update_record(self, instance, version: int, changes: dict):
        return household_visit_update(scope=self.scope, visit=instance, version=version, **changes)

    def delete_record(self, instance, version: int) -> None:
        household_visit_delete(scope=self.scope, visit=instance, version=version)

    @extend_schema(request=VisitDisputeSerializer, responses={201: None})
    @action(detail=True, methods=["post"])
    def dispute(self, request, ref=None):
        """Open a dispute (矛盾纠纷) from the visit's finding."""
        visit = self.get_object()
        body = VisitDisputeSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        dispute = household_visit_open_dispute(scope=self.scope, visit=visit, **body.validated_data)
        return Response({"dispute": dispute.ref}, status=status.HTTP_201_CREATED)


class HouseholdCountSerializer(serializers.ModelSerializer):
    region = ScopedSlugField("regions", queryset=Region.objects.none(), help_text="the region's code")

    class Meta:
        model = HouseholdCount
        fields = [
            "id",
            "region",
            "households",
            "residents",
            "as_of",
            "note",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
        validators = []  # one count a region and day: the service says so in Chinese

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["region"].read_only = True
            self.fields["as_of"].read_only = True


class HouseholdCountViewSet(RecordViewSet):
    """Households per region (entered or imported): the denominator of 覆盖率."""

    serializer_class = HouseholdCountSerializer
    filterset_class = HouseholdCountFilter
    ordering_fields = ["as_of", "households"]
    ordering = ["region__path", "-as_of"]
    http_method_names = [
        "get",
        "post",
        "patch",
        "put",
        "head",
        "options",
    ]  # a count is corrected, not deleted

    def get_queryset(self):
        return household_counts_for(self.scope)

    def perform_create(self, serializer) -> None:
        serializer.instance = household_count_create(scope=self.scope, **serializer.validated_data)

    def update_record(self, instance, version: int, changes: dict):
        return household_count_update(scope=self.scope, count=instance, version=version, **changes)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("visits", VisitViewSet, basename="visit")
    router.register("households", HouseholdCountViewSet, basename="household")
    return []
