"""The region tree over the API (read only: the tree changes through imports and the admin)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.views import ApiView

from .models import Level, Region, subtree_q

MAX_TREE_DEPTH = 3


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, help_text="the parent's code")

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent", "depth", "placed_on"]


class RegionNodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.ChoiceField(choices=Level.choices)
    children = serializers.ListField(child=serializers.DictField(), help_text="nodes of the same shape")


class RegionFilter(django_filters.FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", label="parent code")
    level = django_filters.ChoiceFilter(choices=Level.choices)
    q = django_filters.CharFilter(method="filter_text", label="name or code contains")

    class Meta:
        model = Region
        fields = ["parent", "level", "q"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(code__icontains=value))


class RegionViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Province > city > county > town > village > grid; a user reaches their own subtree."""

    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_field = "code"
    ordering_fields = ["code", "name", "depth"]
    ordering = ["code"]

    def get_queryset(self):
        return request_scope(self.request).regions().select_related("parent")

    @extend_schema(responses=RegionSerializer(many=True))  # a page of regions, as the list answers
    @action(detail=True, methods=["get"])
    def children(self, request, code=None):
        """The regions directly under this one."""
        region = self.get_object()
        children = self.filter_queryset(self.get_queryset().filter(parent=region))
        page = self.paginate_queryset(children)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("root", str, description="code of the top node (default: your own region)"),
            OpenApiParameter(
                "depth",
                {"type": "integer", "minimum": 0, "maximum": MAX_TREE_DEPTH},
                description=f"levels below the root, 0–{MAX_TREE_DEPTH} (default 1)",
            ),
        ],
        responses=RegionNodeSerializer,
    )
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def tree(self, request):
        """A nested subtree: the root and up to three levels below it."""
        regions = self.get_queryset()
        root_code = request.query_params.get("root")
        root = regions.filter(code=root_code).first() if root_code else self.scope.home
        if root is None or not regions.filter(pk=root.pk).exists():
            raise NotFound(_("No such region in your part of the county."))
        try:
            depth = int(request.query_params.get("depth", 1))
        except ValueError:
            depth = -1
        if not 0 <= depth <= MAX_TREE_DEPTH:
            raise serializers.ValidationError({"depth": [_("depth must be between 0 and 3.")]})
        nodes = regions.filter(subtree_q(root.path), depth__lte=root.depth + depth).order_by("code")
        by_parent: dict[int | None, list[Region]] = {}
        for node in nodes:
            by_parent.setdefault(node.parent_id, []).append(node)

        def shape(node: Region) -> dict:
            return {
                "code": node.code,
                "name": node.name,
                "level": node.level,
                "children": [shape(child) for child in by_parent.get(node.pk, [])],
            }

        return Response(shape(root))
