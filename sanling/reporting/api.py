"""/api/v1/unreported/?region=CODE&period=P: the towns, villages and departments under ``region`` (default:
the caller's home) that have not reported in ``period`` (default: last full month), with what they missed."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.views import ApiView
from sanling.assessment.periods import parse_assessable

from .selectors import unreported
from .views import last_full_month


class UnreportedSerializer(serializers.Serializer):
    kind = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField())


class UnreportedViewSet(ApiView, viewsets.ViewSet):
    """盯报表: who has not reported what they should in a period."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description="region code (default: the caller's home)"),
            OpenApiParameter("period", str, description="2026-11, 2026Q4 or 2026 (default: last full month)"),
        ],
        responses=UnreportedSerializer(many=True),
    )
    def list(self, request):
        from django.core.exceptions import ValidationError

        scope = request_scope(request)
        if not scope.sees_business_data:
            raise exceptions.PermissionDenied()
        region = scope.home
        if code := request.query_params.get("region"):
            region = scope.regions().filter(code=code).first()
            if region is None:
                raise exceptions.NotFound()
        period = last_full_month(timezone.localdate())
        if text := request.query_params.get("period"):
            try:
                period = parse_assessable(text, today=timezone.localdate())
            except ValidationError as error:
                raise exceptions.ValidationError({"period": error.messages}) from None
        rows = unreported(region=region, period=period, scope=scope) if region is not None else []
        return Response(UnreportedSerializer(rows, many=True).data)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("unreported", UnreportedViewSet, basename="unreported")
    return []
