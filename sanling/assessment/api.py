"""达标率 over the API: the same query as ``sanling rates``, inside the caller's scope."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.views import ApiView

from .periods import Period, parse_assessable
from .selectors import BY_CHOICES, rates_for


class RatesQuerySerializer(serializers.Serializer):
    region = serializers.CharField(help_text="region code")
    period = serializers.CharField(help_text="2025, 2025Q3 or 2025-07")
    by = serializers.ChoiceField(choices=BY_CHOICES, default="self")
    group = serializers.ChoiceField(choices=["village", "unit"], required=False)

    def validate_period(self, value: str) -> Period:
        try:
            return parse_assessable(value, today=timezone.localdate())
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from None


class RateSerializer(serializers.Serializer):
    region_code = serializers.CharField()
    region_name = serializers.CharField()
    period = serializers.CharField()
    group = serializers.ChoiceField(choices=["village", "unit"])
    active = serializers.IntegerField()
    compliant = serializers.IntegerField()
    rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        allow_null=True,
        help_text="percent, rounded half up (166/183 → 90.71)",
    )
    broke_petition = serializers.IntegerField()
    broke_accident = serializers.IntegerField()
    broke_case = serializers.IntegerField()
    department_code = serializers.CharField(required=False)
    department_name = serializers.CharField(required=False)
    category = serializers.CharField(required=False)


class RatesView(ApiView, GenericAPIView):
    """达标率 of a region itself, of its children, or of its units by department or category."""

    serializer_class = RateSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, required=True, description="region code"),
            OpenApiParameter("period", str, required=True, description="2025, 2025Q3 or 2025-07"),
            OpenApiParameter(
                "by", str, enum=list(BY_CHOICES), description="self (default), child, department, category"
            ),
            OpenApiParameter(
                "group", str, enum=["village", "unit"], description="村社区 or 企事业 (default both)"
            ),
        ],
        responses=RateSerializer(many=True),
    )
    def get(self, request):
        query = RatesQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        region = request_scope(request).regions().filter(code=query.validated_data["region"]).first()
        if region is None:
            raise NotFound(_("No such region in your part of the county."))
        rows = rates_for(
            scope=self.scope,
            region=region,
            period=query.validated_data["period"],
            by=query.validated_data["by"],
            group=query.validated_data.get("group"),
        )
        return Response(RateSerializer([row.as_dict() for row in rows], many=True).data)
