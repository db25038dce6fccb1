"""/api/v1/supervision-visits/, /api/v1/findings/ and /api/v1/letters/: 督查 and the 四函 ladder, in the
caller's scope. A visit is created with its findings (each proposes its letter); a finding may be added to a
visit later. A letter moves by its actions: ``issue`` and ``decline`` (supervisors), ``acknowledge`` and
``respond`` (the organisation it was sent to); ``document?as=docx|pdf`` downloads it. Each action names
the letter's version (``If-Match`` or ``version``)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.errors import PreconditionFailed
from sanling.api.fields import ScopedSlugField
from sanling.api.idempotency import idempotent
from sanling.api.views import ApiView, etag, if_match_version, stale_error
from sanling.core.concurrency import StaleVersion
from sanling.organisations.models import Organisation
from sanling.subjects.models import Subject

from .models import Finding, Letter, SupervisionVisit
from .selectors import findings_for, letters_for, visits_for
from .services import (
    FindingInput,
    finding_add,
    letter_acknowledge,
    letter_decline,
    letter_issue,
    letter_respond,
    visit_create,
)
from .views import _visiting_region, letter_file


@extend_schema_field(OpenApiTypes.STR)  # an organisation's code
class ReachableOrganisationField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return request_scope(self.context["request"]).reachable_organisations()


class FindingSerializer(serializers.ModelSerializer):
    visit = serializers.SlugRelatedField(
        slug_field="ref", queryset=SupervisionVisit.objects.none(), help_text="the visit's ref"
    )
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), help_text="the subject's code")
    letter = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "visit", "subject", "found_on", "text", "run_start", "ordinal", "letter"]
        read_only_fields = ["found_on", "run_start", "ordinal"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "request" in self.context:
            self.fields["visit"].queryset = visits_for(request_scope(self.context["request"]))


class VisitFindingSerializer(serializers.ModelSerializer):
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), help_text="the subject's code")
    letter = serializers.SlugRelatedField(slug_field="ref", read_only=True)

    class Meta:
        model = Finding
        fields = ["id", "subject", "text", "ordinal", "letter"]
        read_only_fields = ["ordinal"]


class VisitSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation = ReachableOrganisationField(required=False, allow_null=True)
    findings = VisitFindingSerializer(many=True)

    class Meta:
        model = SupervisionVisit
        fields = [
            "ref",
            "level",
            "region",
            "department",
            "organisation",
            "visited_on",
            "place",
            "visitors",
            "summary",
            "findings",
        ]
        read_only_fields = ["ref", "level"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        scope = request_scope(self.context["request"])
        shown = set(findings_for(scope).filter(visit=instance).values_list("pk", flat=True))
        data["findings"] = [row for row in data["findings"] if row["id"] in shown]
        return data


class LetterSerializer(serializers.ModelSerializer):
    subject = serializers.SlugRelatedField(slug_field="code", read_only=True)
    finding = serializers.PrimaryKeyRelatedField(read_only=True)
    sent_to = serializers.SlugRelatedField(slug_field="code", read_only=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Letter
        fields = [
            "ref",
            "subject",
            "kind",
            "ordinal",
            "run_start",
            "finding",
            "proposed_on",
            "status",
            "decided_by",
            "decided_at",
            "decline_reason",
            "number",
            "sent_to",
            "title",
            "body",
            "response_due",
            "acknowledged_by",
            "acknowledged_at",
            "response_text",
            "responded_at",
            "overdue",
            "version",
        ]
        read_only_fields = fields

    def get_overdue(self, letter) -> bool:
        from django.utils import timezone

        return letter.is_overdue(timezone.localdate())


class IssueSerializer(serializers.Serializer):
    sent_to = ReachableOrganisationField(required=False, allow_null=True, help_text="organisation code")
    number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    version = serializers.IntegerField(required=False)


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
    version = serializers.IntegerField(required=False)


class AcknowledgeSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False)


class RespondSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(required=False)


class SupervisionVisitViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Supervision visits the caller may see, created with their findings."""

    serializer_class = VisitSerializer
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering = ["-visited_on", "-pk"]

    def get_queryset(self):
        return (
            visits_for(self.scope)
            .select_related("region", "department", "organisation")
            .prefetch_related("findings__letter", "findings__subject")
            .order_by("-visited_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        return idempotent(
            request, lambda: super(SupervisionVisitViewSet, self).create(request, *args, **kwargs)
        )

    def perform_create(self, serializer) -> None:
        if not self.scope.can_supervise:
            raise PermissionDenied()
        data = dict(serializer.validated_data)
        findings = [
            FindingInput(subject=row["subject"], text=row["text"]) for row in data.pop("findings", [])
        ]
        serializer.instance = visit_create(
            region=_visiting_region(self.scope),
            findings=findings,
            scope=self.scope,
            user=self.request.user,
            **data,
        )


class FindingViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Findings on subjects in the caller's scope; POST adds one to a visit (and proposes its letter)."""

    serializer_class = FindingSerializer
    ordering = ["-found_on", "-pk"]

    def get_queryset(self):
        return (
            findings_for(self.scope).select_related("visit", "subject", "letter").order_by("-found_on", "-pk")
        )

    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: super(FindingViewSet, self).create(request, *args, **kwargs))

    def perform_create(self, serializer) -> None:
        data = serializer.validated_data
        serializer.instance = finding_add(
            visit=data["visit"],
            finding=FindingInput(subject=data["subject"], text=data["text"]),
            scope=self.scope,
        )


class LetterViewSet(ApiView, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Letters about subjects in the caller's scope (and those sent to the caller's organisations)."""

    serializer_class = LetterSerializer
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering = ["-proposed_on", "-pk"]

    def get_queryset(self):
        letters = letters_for(self.scope).select_related(
            "subject", "sent_to", "decided_by", "acknowledged_by"
        )
        status = self.request.query_params.get("status")
        if status == "overdue":
            from django.utils import timezone

            from .selectors import overdue_q

            letters = letters.filter(overdue_q(timezone.localdate()))
        elif status:
            letters = letters.filter(status=status)
        return letters.order_by("-proposed_on", "-pk")

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(response.data["version"])
        return response

    def _step(self, request, body_class, move):
        def handler():
            letter = self.get_object()
            body = body_class(data=request.data, context=self.get_serializer_context())
            body.is_valid(raise_exception=True)
            values = dict(body.validated_data)
            header = if_match_version(request)
            body_version = values.pop("version", None)
            version = header if header is not None else body_version
            if version is None:
                raise PreconditionFailed(_("Name the letter's version (If-Match or version)."))
            try:
                moved = move(letter, version, values)
            except StaleVersion as stale:
                raise stale_error(stale, header is not None) from None
            fresh = self.get_queryset().get(pk=moved.pk)
            response = Response(self.get_serializer(fresh).data)
            response["ETag"] = etag(fresh.version)
            return response

        return idempotent(request, handler)

    @extend_schema(request=IssueSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, ref=None):
        """Issue a proposed letter (refused while a lower letter of its run is only proposed)."""
        return self._step(
            request,
            IssueSerializer,
            lambda letter, version, values: letter_issue(
                letter=letter, version=version, scope=self.scope, user=request.user, **values
            ),
        )

    @extend_schema(request=DeclineSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, ref=None):
        """Decline a proposed letter; ``reason`` is required."""
        return self._step(
            request,
            DeclineSerializer,
            lambda letter, version, values: letter_decline(
                letter=letter, version=version, scope=self.scope, user=request.user, **values
            ),
        )

    @extend_schema(request=AcknowledgeSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, ref=None):
        """签收, by a member of the organisation the letter was sent to."""
        return self._step(
            request,
            AcknowledgeSerializer,
            lambda letter, version, values: letter_acknowledge(
                letter=letter, version=version, scope=self.scope, user=request.user
            ),
        )

    @extend_schema(request=RespondSerializer, responses=LetterSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, ref=None):
        """The organisation's answer (``text``)."""
        return self._step(
            request,
            RespondSerializer,
            lambda letter, version, values: letter_respond(
                letter=letter, version=version, scope=self.scope, user=request.user, **values
            ),
        )

    @extend_schema(
        parameters=[OpenApiParameter("as", str, enum=["docx", "pdf"], description="docx (default) or pdf")],
        responses={(200, "application/octet-stream"): bytes},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def document(self, request, ref=None) -> HttpResponse:
        """The letter as Word or PDF."""
        letter = self.get_object()
        fmt = request.query_params.get("as", "docx")
        if fmt not in ("docx", "pdf"):
            from django.core.exceptions import ValidationError

            raise ValidationError({"as": _("Documents are made as Word (docx) or PDF (pdf).")})
        return letter_file(letter, fmt)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("supervision-visits", SupervisionVisitViewSet, basename="supervision-visit")
    router.register("findings", FindingViewSet, basename="finding")
    router.register("letters", LetterViewSet, basename="letter")
    return []


__all__ = ["Organisation"]
