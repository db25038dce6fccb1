"""/api/v1/scores/?period=2026&target=towns: the scores the caller may see, with the breakdown (read).
/api/v1/indicator-sets/: the indicator sets, read, created and replaced whole by a county administrator
(``Scope.can_set_rules``; PUT/PATCH names the version); everyone else reads each indicator's weight and bar
with their scores."""

from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from sanling.api.views import ApiView, RecordViewSet
from sanling.assessment.periods import Period, parse_assessable

from .indicators import REGISTRY
from .models import Indicator, IndicatorSet, Mapping, Target
from .selectors import county_of, indicator_set_for, score_rows, visible_rows
from .services import IndicatorInput, indicator_set_create, indicator_set_update


class IndicatorSerializer(serializers.ModelSerializer):
    key = serializers.ChoiceField(choices=sorted(REGISTRY))
    mapping = serializers.ChoiceField(choices=Mapping.choices, required=False, allow_blank=True)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    bar = serializers.DecimalField(max_digits=7, decimal_places=2, required=False, allow_null=True)

    class Meta:
        model = Indicator
        fields = ["key", "weight", "bar", "mapping"]


class IndicatorSetSerializer(serializers.ModelSerializer):
    indicators = IndicatorSerializer(many=True)
    target = serializers.ChoiceField(choices=Target.choices)

    class Meta:
        model = IndicatorSet
        fields = ["id", "name", "year", "target", "indicators", "version"]
        read_only_fields = ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("year", "target"):
                self.fields[name].read_only = True


def _inputs(rows) -> list[IndicatorInput]:
    return [
        IndicatorInput(
            key=row["key"], weight=row["weight"], bar=row.get("bar"), mapping=row.get("mapping") or ""
        )
        for row in rows
    ]


class IndicatorSetViewSet(RecordViewSet):
    """The 考核 indicator sets."""

    serializer_class = IndicatorSetSerializer
    http_method_names = ["get", "post", "patch", "put", "head", "options"]
    ordering = ["-year", "target"]

    def get_queryset(self):
        if not self.scope.can_set_rules:  # the others read the weights with their scores (/scores/)
            return IndicatorSet.objects.none()
        return IndicatorSet.objects.prefetch_related("indicators")

    def _check(self):
        if not self.scope.can_set_rules:
            raise PermissionDenied(_("Only the county administrator sets the scoring indicators."))

    def perform_create(self, serializer) -> None:
        self._check()
        data = serializer.validated_data
        serializer.instance = indicator_set_create(
            name=data["name"],
            year=data["year"],
            target=data["target"],
            indicators=_inputs(data["indicators"]),
            scope=self.scope,
        )

    def update_record(self, instance, version: int, changes: dict):
        self._check()
        indicators = changes.get("indicators")
        if indicators is None:
            indicators = [
                {"key": row.key, "weight": row.weight, "bar": row.bar, "mapping": row.mapping}
                for row in instance.indicators.all()
            ]
        return indicator_set_update(
            indicator_set=instance,
            version=version,
            indicators=_inputs(indicators),
            name=changes.get("name"),
            scope=self.scope,
        )


class ScoreCellSerializer(serializers.Serializer):
    key = serializers.CharField()
    weight = serializers.DecimalField(max_digits=5, decimal_places=2)
    raw = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    bar = serializers.DecimalField(max_digits=9, decimal_places=2, allow_null=True)
    points = serializers.DecimalField(max_digits=7, decimal_places=2)


class ScoreRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.DecimalField(max_digits=7, decimal_places=2)
    cells = ScoreCellSerializer(many=True)


class ScoresView(ApiView, GenericAPIView):
    """Scores of the towns (or departments) the caller may see, for a period, ranked (none when the year has
    no indicator set)."""

    serializer_class = ScoreRowSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="2026, 2026Q3 or 2026-07 (default: this year)"),
            OpenApiParameter(
                "target", str, enum=list(Target.values), description="towns (default) or departments"
            ),
        ],
        responses=ScoreRowSerializer(many=True),
    )
    def get(self, request):
        text = request.query_params.get("period")
        today = timezone.localdate()
        period = parse_assessable(text, today=today) if text else Period.of_year(today.year)
        target = request.query_params.get("target", Target.TOWNS)
        if target not in Target.values:
            raise serializers.ValidationError({"target": [_("Choose towns or departments.")]})
        indicator_set = indicator_set_for(period.year, target)
        scope = self.scope
        county = county_of(scope) if scope.sees_business_data else None
        rows = []
        if county is not None and indicator_set is not None:
            rows = visible_rows(
                score_rows(indicator_set=indicator_set, county=county, period=period), scope, county
            )
        return Response(ScoreRowSerializer(rows, many=True).data)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("indicator-sets", IndicatorSetViewSet, basename="indicator-set")
    return [path("scores/", ScoresView.as_view(), name="scores")]
