"""/api/v1/targets/: the targets a caller may read (their subtree and the path above it), filtered by year,
region (where the target is set), group and indicator; the county administrator creates, changes (value and
note, naming the version) and deletes them through the services."""

import django_filters
from rest_framework import serializers

from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.regions.models import Region
from sanling.subjects.models import Group

from .models import Indicator, Target
from .selectors import targets_for
from .services import check_may_set, target_clear, target_set


class TargetFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter()
    region = django_filters.CharFilter(field_name="region__code", help_text="where the target is set")
    group = django_filters.ChoiceFilter(
        choices=[*Group.choices, ("all", "set for every group")], method="filter_group"
    )
    indicator = django_filters.ChoiceFilter(choices=Indicator.choices)

    class Meta:
        model = Target
        fields = ["year", "region", "group", "indicator"]

    def filter_group(self, queryset, name: str, value: str):
        return queryset.filter(group="" if value == "all" else value)


class TargetSerializer(serializers.ModelSerializer):
    region = ScopedSlugField("regions", queryset=Region.objects.none(), help_text="the region's code")
    group = serializers.ChoiceField(
        choices=Group.choices, allow_blank=True, required=False, help_text="blank: every group"
    )
    indicator = serializers.ChoiceField(choices=Indicator.choices)
    value = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="percent, 0 to 100")

    class Meta:
        model = Target
        fields = ["id", "year", "region", "group", "indicator", "value", "note", "version"]
        read_only_fields = ["id", "version"]
        validators = []  # the service says in Chinese what is wrong (and upserts)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("year", "region", "group", "indicator"):
                self.fields[name].read_only = True


class TargetViewSet(RecordViewSet):
    """Targets set in the caller's area and above it."""

    serializer_class = TargetSerializer
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    ordering = ["year", "region__path", "indicator", "group"]

    def get_queryset(self):
        return targets_for(self.scope).select_related("region").order_by(*self.ordering)

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filterset = TargetFilter(self.request.query_params or None, queryset=queryset, request=self.request)
        if filterset.is_bound and not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return filterset.qs

    def create(self, request, *args, **kwargs):
        check_may_set(self.scope)  # before the body is judged: only the county administrator sets targets
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        serializer.instance = target_set(
            year=data["year"],
            region=data["region"],
            group=data.get("group") or "",
            indicator=data["indicator"],
            value=data["value"],
            note=data.get("note") or "",
            scope=self.scope,
        )

    def update_record(self, instance, version: int, changes: dict):
        return target_set(
            year=instance.year,
            region=instance.region,
            group=instance.group,
            indicator=instance.indicator,
            value=changes.get("value", instance.value),
            note=changes.get("note", instance.note),
            version=version,
            scope=self.scope,
        )

    def delete_record(self, instance, version: int) -> None:
        target_clear(target=instance, version=version, scope=self.scope)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("targets", TargetViewSet, basename="target")
    return []
