"""/api/v1/reports/: the reports the caller may open. POST asks for one (kind, region code, period, format)
and answers 202 with the report and its job's status URL; ``file/`` downloads it through the same scope
check as the page (and records a recipient's read receipt); ``send/`` sends it to groups of recipients or
named accounts; ``receipts/`` lists who has read it. ``?sent_to_me=true`` lists the reports sent to the
caller."""

from django.contrib.auth import get_user_model
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from sanling.api.views import ApiView
from sanling.regions.models import Region

from .models import Audience, Distribution, Report, ReportFormat, ReportKind
from .selectors import receipts, report_path, reports_for
from .services import can_send, report_distribute, report_read, report_request


class ReportSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code", help_text="the region's code")
    region_name = serializers.CharField(source="region.name", read_only=True)
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    format = serializers.ChoiceField(choices=ReportFormat.choices)
    period = serializers.CharField(max_length=10, help_text="2025, 2025Q1 or 2025-03")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status_url = serializers.SerializerMethodField(help_text="the generating job's status (its owner only)")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "id",
            "kind",
            "region",
            "region_name",
            "period",
            "format",
            "status",
            "message",
            "title",
            "size",
            "requested_by",
            "created_at",
            "generated_at",
            "status_url",
            "download_url",
        ]
        read_only_fields = ["status", "message", "title", "size", "created_at", "generated_at"]

    def get_status_url(self, report: Report) -> str | None:
        return reverse("jobs:status", kwargs={"pk": report.job_id}) if report.job_id else None

    def get_download_url(self, report: Report) -> str | None:
        return reverse("api:report-file", kwargs={"pk": report.pk}) if report.status == "ready" else None


class DistributionSerializer(serializers.ModelSerializer):
    recipient = serializers.SlugRelatedField(slug_field="username", read_only=True)
    sent_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Distribution
        fields = ["recipient", "audience", "sent_by", "sent_at", "read_at"]


class SendSerializer(serializers.Serializer):
    audiences = serializers.ListField(
        child=serializers.ChoiceField(choices=[Audience.LEADERS, Audience.DEPARTMENTS, Audience.TOWNS]),
        required=False,
        default=list,
    )
    users = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="usernames"
    )


class ReportViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reports of the caller's area, those they asked for and those sent to them."""

    serializer_class = ReportSerializer
    ordering = ["-created_at"]

    def get_queryset(self):
        reports = reports_for(self.scope)
        if self.request.query_params.get("sent_to_me") in ("1", "true"):
            reports = reports.filter(distributions__recipient=self.request.user)
        return reports

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        region = Region.objects.filter(code=data["region"]["code"]).first()
        if region is None:
            raise serializers.ValidationError({"region": [_("Unknown region code.")]})
        report = report_request(
            user=request.user,
            kind=data["kind"],
            region=region,
            period=data["period"],
            fmt=data["format"],
            scope=self.scope,
        )
        report.refresh_from_db()
        return Response(self.get_serializer(report).data, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request, pk=None):
        report = self.get_object()
        path = report_path(report)
        if path is None or report.status != "ready":
            raise Http404
        report_read(report=report, user=request.user)
        return FileResponse(path.open("rb"), as_attachment=True, filename=report.file_name)

    @action(detail=True, methods=["get"], url_path="receipts")
    def receipts(self, request, pk=None):
        report = self.get_object()
        if not can_send(report, self.scope):
            raise PermissionDenied(_("Only those who may send the report see its read receipts."))
        return Response(DistributionSerializer(receipts(report), many=True).data)

    @action(detail=True, methods=["post"], url_path="send")
    def send(self, request, pk=None):
        report = self.get_object()
        body = SendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        names = body.validated_data["users"]
        users = list(get_user_model().objects.filter(username__in=names, is_active=True))
        missing = sorted(set(names) - {user.username for user in users})
        if missing:
            raise serializers.ValidationError(
                {"users": [_("No active account is called %(names)s.") % {"names": "、".join(missing)}]}
            )
        if not can_send(report, self.scope):
            raise PermissionDenied(_("Only those who supervise the report's region send it."))
        made = report_distribute(
            report=report,
            sender=request.user,
            scope=self.scope,
            audiences=body.validated_data["audiences"],
            users=users,
        )
        return Response(DistributionSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("reports", ReportViewSet, basename="report")
    return []
