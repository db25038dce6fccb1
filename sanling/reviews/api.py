"""/api/v1/reviews/: the monthly reviews of the caller's area with their ranked items (read). Held with
POST {region, month}; ``POST …/<id>/note/`` {item, note, version} writes an item's 点评,
``POST …/<id>/refresh/`` recomputes a draft, ``POST …/<id>/finalise/`` makes it final. Writes need a role
that supervises (``Scope.can_supervise``)."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from sanling.api.views import ApiView, stale_error
from sanling.core.concurrency import StaleVersion

from .models import MonthlyReview, ReviewItem
from .selectors import review_regions, reviews_for
from .services import review_create, review_finalise, review_note, review_refresh


class ReviewItemSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReviewItem
        fields = [
            "id",
            "kind",
            "code",
            "name",
            "region",
            "department",
            "rank",
            "active",
            "compliant",
            "rate",
            "previous_rate",
            "change",
            "overdue",
            "backlog",
            "warnings_red",
            "warnings_orange",
            "assignments_total",
            "assignments_done",
            "assignments_overdue",
            "note",
            "version",
        ]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    items = ReviewItemSerializer(many=True, read_only=True)

    class Meta:
        model = MonthlyReview
        fields = ["id", "region", "month", "status", "figures_on", "finalised_at", "version", "items"]
        read_only_fields = fields


class ReviewCreateSerializer(serializers.Serializer):
    region = serializers.CharField(help_text="the county's or town's region code")
    month = serializers.CharField(help_text="the month reviewed, e.g. 2026-10")


class NoteSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="the item's id")
    note = serializers.CharField(allow_blank=True, max_length=2000)
    version = serializers.IntegerField(help_text="the item's version as read")


class ReviewViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Monthly reviews of the caller's area."""

    serializer_class = ReviewSerializer
    http_method_names = ["get", "post", "head", "options"]
    ordering = ["-month", "region__code"]

    def get_queryset(self):
        return reviews_for(self.scope).prefetch_related("items__region", "items__department")

    def _supervisor(self):
        if not self.scope.can_supervise:
            raise PermissionDenied(_("Your role does not hold monthly reviews."))
        return self.scope

    @extend_schema(request=ReviewCreateSerializer, responses=ReviewSerializer)
    def create(self, request, *args, **kwargs):
        scope = self._supervisor()
        data = ReviewCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region = review_regions(scope).filter(code=data.validated_data["region"]).first()
        if region is None:
            raise serializers.ValidationError({"region": [_("Choose a county or town of your area.")]})
        review = review_create(
            region=region, month=data.validated_data["month"], scope=scope, user=request.user
        )
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=NoteSerializer, responses=ReviewItemSerializer)
    @action(detail=True, methods=["post"])
    def note(self, request, pk=None):
        review = self.get_object()
        scope = self._supervisor()
        data = NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = review.items.filter(pk=data.validated_data["item"]).first()
        if item is None:
            raise NotFound(_("This review has no such item."))
        try:
            updated = review_note(
                item=item,
                note=data.validated_data["note"],
                version=data.validated_data["version"],
                scope=scope,
            )
        except StaleVersion as stale:
            raise stale_error(stale, False) from None
        return Response(ReviewItemSerializer(updated).data)

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        review = self.get_object()
        updated = review_refresh(review=review, scope=self._supervisor())
        return Response(ReviewSerializer(updated).data)

    @extend_schema(request=None, responses=ReviewSerializer)
    @action(detail=True, methods=["post"])
    def finalise(self, request, pk=None):
        review = self.get_object()
        updated = review_finalise(review=review, scope=self._supervisor())
        return Response(ReviewSerializer(updated).data)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("reviews", ReviewViewSet, basename="review")
    return []
