"""/api/v1/warnings/: the 四色预警 of the caller's area (filters ``region``, ``colour``, ``on`` or ``period``);
/api/v1/warning-rule-sets/: the rule versions with their rules, consequences and thresholds, read by everyone
who sees the campaign; a new version (POST, a copy of the one in force), a change of name or period (PATCH)
and the ``thresholds`` and ``consequences`` actions are the county administrator's (``Scope.can_set_rules``)."""

import datetime

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sanling.api.views import ApiView, RecordViewSet
from sanling.assessment.periods import parse_assessable
from sanling.subjects.models import Group

from .models import Colour, Consequence, RegionThreshold, Rule, RuleSet
from .selectors import COLOURS, rule_set_on, subject_warnings
from .services import consequence_set, rule_set_create, rule_set_update, thresholds_set


class WarningSerializer(serializers.Serializer):
    code = serializers.CharField(source="subject_code", help_text="the subject's code")
    name = serializers.CharField(source="subject_name")
    region = serializers.CharField(help_text="the subject's region code")
    group = serializers.CharField(help_text="village (村社区) or unit (企事业)")
    colour = serializers.ChoiceField(choices=Colour.choices)
    reasons = serializers.ListField(child=serializers.CharField())


class WarningQuerySerializer(serializers.Serializer):
    region = serializers.CharField(required=False)
    colour = serializers.ChoiceField(choices=Colour.choices, required=False)
    on = serializers.DateField(required=False)
    period = serializers.CharField(required=False)

    def validate_on(self, value):
        if value > timezone.localdate():
            raise serializers.ValidationError("日期不能晚于今天。")
        return value

    def validate(self, data):
        if "on" in data and "period" in data:
            raise serializers.ValidationError({"period": "on 与 period 只能给一个。"})
        if "period" in data:
            from django.core.exceptions import ValidationError

            try:
                period = parse_assessable(data["period"], today=timezone.localdate())
            except ValidationError as error:
                raise serializers.ValidationError({"period": error.messages}) from None
            data["on"] = min(period.end, timezone.localdate())
        return data


class WarningViewSet(ApiView, viewsets.GenericViewSet):
    """The subjects of the caller's area that have a colour on a day, most severe first."""

    serializer_class = WarningSerializer
    filter_backends: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="region code (default: the caller's home region)"),
            OpenApiParameter("colour", str, enum=list(COLOURS)),
            OpenApiParameter("on", datetime.date, description="the day (default today)"),
            OpenApiParameter("period", str, description="2025, 2025Q3 or 2025-07: its last day (or today)"),
        ]
    )
    def list(self, request):
        query = WarningQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        scope = self.scope
        if not scope.sees_business_data:
            raise exceptions.PermissionDenied()
        code = query.validated_data.get("region")
        region = scope.regions().filter(code=code).first() if code else scope.home
        if region is None:
            raise exceptions.NotFound("您的管辖范围内没有这个区划。")
        on = query.validated_data.get("on") or timezone.localdate()
        warnings = subject_warnings(
            region=region, on=on, scope=scope, colour=query.validated_data.get("colour")
        )
        from sanling.regions.models import Region

        codes = dict(Region.objects.filter(pk__in={w.region_id for w in warnings}).values_list("pk", "code"))
        rows = [
            {
                "subject_code": w.subject_code,
                "subject_name": w.subject_name,
                "region": codes.get(w.region_id, ""),
                "group": w.group,
                "colour": w.colour,
                "reasons": w.reasons,
            }
            for w in warnings
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(WarningSerializer(page, many=True).data)


class RuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rule
        fields = ["id", "order", "colour", "condition", "parameters", "label", "enabled"]


class ConsequenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consequence
        fields = ["colour", "who", "roles", "check_every_days", "action"]


class ThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegionThreshold
        fields = ["group", "colour", "below"]


class RuleSetSerializer(serializers.ModelSerializer):
    rules = RuleSerializer(many=True, read_only=True)
    consequences = ConsequenceSerializer(many=True, read_only=True)
    thresholds = ThresholdSerializer(many=True, read_only=True)
    in_force = serializers.SerializerMethodField()

    class Meta:
        model = RuleSet
        fields = [
            "id",
            "name",
            "valid_from",
            "valid_to",
            "note",
            "in_force",
            "rules",
            "consequences",
            "thresholds",
            "version",
        ]
        read_only_fields = ["id", "version"]

    def get_in_force(self, rule_set) -> bool:
        return rule_set.covers(timezone.localdate())


class ThresholdsInput(serializers.Serializer):
    group = serializers.ChoiceField(choices=Group.choices)
    values = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="colour -> below (%)"
    )


class ConsequenceInput(serializers.Serializer):
    colour = serializers.ChoiceField(choices=Colour.choices)
    who = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField(), required=False)
    check_every_days = serializers.IntegerField()
    action = serializers.CharField()


class RuleSetViewSet(RecordViewSet):
    """The versions of the warning rules; writes are the county administrator's."""

    serializer_class = RuleSetSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["-valid_from"]

    def get_queryset(self):
        if not self.scope.sees_business_data:
            return RuleSet.objects.none()
        return RuleSet.objects.prefetch_related("rules", "consequences", "thresholds")

    def retrieve(self, request, *args, **kwargs):
        # The list carries every version in full for everyone in the campaign; a version's own URL is where
        # the county administrator edits it, so it opens for them alone (403 to everyone else).
        if not self.scope.can_set_rules:
            raise exceptions.PermissionDenied()
        return super().retrieve(request, *args, **kwargs)

    def _check(self):
        if not self.scope.can_set_rules:
            raise exceptions.PermissionDenied("只有县级管理员可以修改预警规则。")

    def create(self, request, *args, **kwargs):
        self._check()  # before the body is read: 403, not a 400 about the body
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        self._check()  # before If-Match is asked for
        return super().update(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        self._check()
        data = serializer.validated_data
        try:
            serializer.instance = rule_set_create(
                name=data["name"],
                valid_from=data["valid_from"],
                valid_to=data.get("valid_to"),
                note=data.get("note", ""),
                copy_from=rule_set_on(data["valid_from"]) or rule_set_on(timezone.localdate()),
                scope=self.scope,
            )
        except DjangoPermissionDenied as denied:
            raise exceptions.PermissionDenied(str(denied)) from None

    def update_record(self, instance, version: int, changes: dict):
        self._check()
        return rule_set_update(
            instance,
            name=changes.get("name", instance.name),
            valid_from=changes.get("valid_from", instance.valid_from),
            valid_to=changes.get("valid_to", instance.valid_to),
            note=changes.get("note", instance.note),
            version=version,
            scope=self.scope,
        )

    @extend_schema(request=ThresholdsInput, responses=RuleSetSerializer)
    @action(detail=True, methods=["post"], url_path="thresholds")
    def thresholds(self, request, pk=None):
        """Set a group's region thresholds (colour -> below %, blank removes the colour)."""
        self._check()
        rule_set = self.get_object()
        body = ThresholdsInput(data=request.data)
        body.is_valid(raise_exception=True)
        thresholds_set(rule_set=rule_set, scope=self.scope, **body.validated_data)
        return Response(RuleSetSerializer(self.get_queryset().get(pk=rule_set.pk)).data)

    @extend_schema(request=ConsequenceInput, responses=RuleSetSerializer)
    @action(detail=True, methods=["post"], url_path="consequences")
    def consequences(self, request, pk=None):
        """Set what a colour means: who is told, how often the subject is checked, what happens."""
        self._check()
        rule_set = self.get_object()
        body = ConsequenceInput(data=request.data)
        body.is_valid(raise_exception=True)
        consequence_set(rule_set=rule_set, scope=self.scope, **body.validated_data)
        return Response(RuleSetSerializer(self.get_queryset().get(pk=rule_set.pk)).data)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("warnings", WarningViewSet, basename="warning")
    router.register("warning-rule-sets", RuleSetViewSet, basename="warning-rule-set")
    return []
