"""/api/v1/posts/: who holds which post where (网格长, 网格员, 楼栋长 …), through the post services.

Scoped like the roster: a user reads and writes the posts placed in their subtree (a department's users:
none). The phone is personal data: masked in every answer, in clear only through ``unmask`` with a reason
(audited), for the roles that may unmask.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sanling.api.cases import MaskedSerializerMixin, UnmaskSerializer, unmask_values
from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet, etag, if_match_version, stale_error
from sanling.core.concurrency import StaleVersion
from sanling.regions.models import Region, subtree_q

from .models import Post, Sector
from .selectors import active_q, linkable_users, scoped_posts, scoped_sectors
from .services import post_create, post_end, post_update


class LinkableUserField(serializers.SlugRelatedField):
    """The holder's login, by login name, among the accounts of the caller's area."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="username", **kwargs)

    def get_queryset(self):
        return linkable_users(self.context["view"].scope)


class SectorField(serializers.SlugRelatedField):
    """A sector (片区) by its code, among the sectors of the caller's towns."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return scoped_sectors(self.context["view"].scope)

    def to_internal_value(self, data):
        # Sector codes are unique within their town: "<town code>:<code>" names one across towns.
        town, _sep, code = str(data).rpartition(":")
        sectors = self.get_queryset().filter(code=code)
        if town:
            sectors = sectors.filter(town__code=town)
        found = list(sectors[:2])
        if len(found) != 1:
            self.fail("does_not_exist", slug_name="code", value=str(data))
        return found[0]

    def to_representation(self, value):
        return f"{value.town.code}:{value.code}"


class PostSerializer(MaskedSerializerMixin, serializers.ModelSerializer):
    region = ScopedSlugField(
        "regions", queryset=Region.objects.none(), help_text="code of the grid, 楼宇, village or town"
    )
    sector = SectorField(
        queryset=Sector.objects.none(),
        required=False,
        allow_null=True,
        help_text="a sector's post (一级网格长): <town code>:<sector code>, the post then at the town",
    )
    user = LinkableUserField(
        queryset=get_user_model().objects.none(),
        required=False,
        allow_null=True,
        help_text="the holder's login",
    )
    post_type = serializers.CharField(max_length=40, help_text="a code of the dictionary list post_type")

    class Meta:
        model = Post
        fields = [
            "id",
            "region",
            "sector",
            "post_type",
            "holder_name",
            "phone",
            "user",
            "started_on",
            "ended_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "version", "created_at", "updated_at"]
        extra_kwargs = {"phone": {"help_text": "personal data: masked in answers; a mask sent back keeps it"}}

    def validate(self, attrs):
        return self.keep_masked(super().validate(attrs))


class PostPhoneSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    phone = serializers.CharField()


class PostEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(help_text="from this day the holder no longer holds the post")
    version = serializers.IntegerField(required=False, help_text="or send If-Match")


class PostFilter(django_filters.FilterSet):
    region = django_filters.CharFilter(
        label=gettext_lazy("Region code (its whole subtree)"), method="filter_region"
    )
    post_type = django_filters.CharFilter(label=pgettext_lazy("grids", "Post"))
    user = django_filters.CharFilter(field_name="user__username", label=pgettext_lazy("grids", "Login"))
    on = django_filters.DateFilter(label=gettext_lazy("Held on (date)"), method="filter_on")

    class Meta:
        model = Post
        fields = ["region", "post_type", "user", "on"]

    def filter_region(self, queryset, name: str, value: str):
        region = Region.objects.filter(code=value).first()
        return queryset.filter(subtree_q(region.path, via="region__")) if region else queryset.none()

    def filter_on(self, queryset, name: str, value):
        return queryset.filter(active_q(value)) if value else queryset


class PostViewSet(RecordViewSet):
    """Posts in the caller's area: list (filter by region subtree, post type, login, date held), create,
    PATCH with the version, ``end`` (离任) and ``unmask`` (the phone in clear, audited)."""

    serializer_class = PostSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    filterset_class = PostFilter
    ordering_fields = ["started_on", "post_type"]
    ordering = ["region__path", "post_type", "started_on", "id"]

    def get_queryset(self):
        return scoped_posts(self.scope).select_related("sector__town")

    def _may_write(self) -> None:
        if not self.scope.can_write:
            raise PermissionDenied(_("Your role does not record posts."))

    def create(self, request, *args, **kwargs):
        self._may_write()  # before the body is read: a viewer hears 403, not what the body lacks
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        serializer.instance = post_create(scope=self.scope, **serializer.validated_data)

    def update(self, request, *args, **kwargs):
        self.get_object()  # 404 outside the scope, before anything else is said
        self._may_write()
        return super().update(request, *args, **kwargs)

    def update_record(self, instance, version: int, changes: dict):
        return post_update(post=instance, version=version, scope=self.scope, **changes)

    @extend_schema(request=PostEndSerializer, responses=PostSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """The holder leaves the post on ``ended_on`` (the post stays in the record)."""
        post = self.get_object()
        self._may_write()
        body = PostEndSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        header = if_match_version(request)
        version = header if header is not None else body.validated_data.get("version")
        try:
            post = post_end(
                post=post, ended_on=body.validated_data["ended_on"], version=version, scope=self.scope
            )
        except StaleVersion as stale:
            raise stale_error(stale, header is not None) from None
        response = Response(self.get_serializer(post).data)
        response["ETag"] = etag(post.version)
        return response

    @extend_schema(request=UnmaskSerializer, responses=PostPhoneSerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request, pk=None):
        """The phone in clear, for a role that may unmask and says why (audited); 403 for others."""
        post = self.get_object()
        values = unmask_values(request, self.scope, post, ["phone"])
        return Response({"id": post.pk, **values}, headers={"Cache-Control": "no-store"})


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("posts", PostViewSet, basename="post")
    return []
