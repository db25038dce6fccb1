"""信访代理 and the 积案 ledger over the API, through the petition services.

``/agency-cases/``: list, apply (create), read, and ``{ref}/advance/`` one step along 申请 → 确定代理人 →
登记备案 → 代理事项办理 → 结果反馈 → 事项终结. ``/backlog/``: the ledger, flag an open case (POST with its
``item`` ref), read an entry, and tick an item of its checklist (``{id}/check/``).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from sanling.api.cases import (
    CaseActionsMixin,
    CaseFieldsMixin,
    MaskedSerializerMixin,
    ScopedRefField,
    StepSerializer,
)
from sanling.api.fields import ScopedSlugField
from sanling.api.idempotency import idempotent
from sanling.api.records import DatedRecordSerializer
from sanling.api.views import ApiView, etag, if_match_version, stale_error
from sanling.core.concurrency import StaleVersion
from sanling.disputes.models import Satisfaction
from sanling.organisations.models import Organisation
from sanling.personal.fields import personal_columns
from sanling.subjects.models import Subject
from sanling.work.models import WorkItem

from .filters import AgencyFilter, BacklogFilter
from .models import AgencyCase, Backlog, Petition
from .services import agency_advance, agency_create, backlog_check, backlog_flag


class CaseViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """List, read and create (idempotently) a ledger whose entries change only through their actions."""

    idempotent_posts = True

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(response.data["version"])
        return response

    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: super(CaseViewSet, self).create(request, *args, **kwargs))


class AgencyCaseSerializer(MaskedSerializerMixin, CaseFieldsMixin, DatedRecordSerializer):
    petition = ScopedRefField(
        "petitions",
        queryset=Petition.objects.none(),
        required=False,
        allow_null=True,
        help_text="ref of the petition the agent carries",
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, read_only=True, allow_blank=True, help_text="recorded at 事项终结"
    )
    organisation = ScopedSlugField(
        "reachable_organisations",
        source="case.organisation",
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        help_text="code of the organisation holding the case (default: the town's 信访办)",
    )

    class Meta:
        model = AgencyCase
        fields = [
            "ref",
            "subject",
            "petition",
            "applied_on",
            "summary",
            "applicant_name",
            "agent_name",
            "step",
            "higher_authority_required",
            "concluded_on",
            "satisfaction",
            "organisation",
            "handler",
            "due_on",
            "closed_on",
            "version",
        ]
        read_only_fields = [
            "agent_name",
            "step",
            "higher_authority_required",
            "concluded_on",
            "satisfaction",
        ]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "given by the caller or generated"},
            "applicant_name": {"help_text": "personal data (masked in answers)"},
        }


class AdvanceSerializer(StepSerializer):
    agent_name = serializers.CharField(
        max_length=60, required=False, allow_blank=True, default="", help_text="required for 确定代理人"
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True, default="", help_text="on 事项终结"
    )
    higher_authority_required = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="须由上级解决: marks the petition's event so it no longer breaks 零上访",
    )


class AgencyCaseViewSet(CaseActionsMixin, CaseViewSet):
    """信访代理: an agent carries a petitioner's matter for them (中站区)."""

    serializer_class = AgencyCaseSerializer
    filterset_class = AgencyFilter
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["applied_on", "ref"]
    ordering = ["-applied_on", "ref"]
    step_actions = ("advance",)

    def get_queryset(self):
        return (
            self.scope.agency_cases()
            .select_related("subject", "petition", "case__organisation", "case__handler")
            .defer(*personal_columns(Subject, "subject__"))
        )

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        organisation = fields.pop("case", {}).get("organisation")
        serializer.instance = agency_create(organisation=organisation, **fields)

    @extend_schema(
        request=AdvanceSerializer,
        responses=AgencyCaseSerializer,
        description="Answers the agency case as it now is; 409 once it is concluded, 400 for a bad date.",
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, ref=None):
        """The next step; naming the agent (``agent_name``) is the second, and the last may record the
        ``satisfaction``."""
        return self.run_step(
            request,
            AdvanceSerializer,
            lambda agency, version, values: agency_advance(agency=agency, version=version, **values),
        )


class BacklogSerializer(serializers.ModelSerializer):
    item = ScopedRefField(
        "work_items", queryset=WorkItem.objects.none(), help_text="ref of the open case to put on the ledger"
    )
    kind = serializers.CharField(source="item.kind", read_only=True)
    title = serializers.CharField(source="item.title", read_only=True)
    responsible_organisation = ScopedSlugField(
        "reachable_organisations",
        queryset=Organisation.objects.none(),
        help_text="责任单位 (organisation code)",
    )
    checklist = serializers.DictField(
        child=serializers.DateField(allow_null=True),
        required=False,
        help_text="item code -> the day it was done (null: not yet); the codes are the county's 四定四包 list",
    )

    class Meta:
        model = Backlog
        fields = [
            "id",
            "item",
            "kind",
            "title",
            "flagged_on",
            "responsible_organisation",
            "responsible_person",
            "leader",
            "deadline",
            "checklist",
            "resolved_on",
            "version",
        ]
        read_only_fields = ["resolved_on"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["checklist"] = {code: done or None for code, done in instance.checklist.items()}
        return data


class CheckSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40, help_text="the checklist item's code")
    done_on = serializers.DateField(allow_null=True, help_text="the day it was done; null unticks it")
    version = serializers.IntegerField(required=False, min_value=1, help_text="optional (409 when stale)")


class BacklogViewSet(CaseViewSet):
    """积案: cases on the backlog ledger with 责任单位、责任人、包案领导 and 化解时限."""

    serializer_class = BacklogSerializer
    filterset_class = BacklogFilter
    ordering_fields = ["deadline", "flagged_on"]
    ordering = ["deadline", "pk"]
    step_actions = ("tick",)

    def get_queryset(self):
        return self.scope.backlog().select_related("item", "responsible_organisation")

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        checklist = fields.pop("checklist", None) or {}
        serializer.instance = backlog_flag(
            item=fields["item"],
            on=fields["flagged_on"],
            responsible_organisation=fields["responsible_organisation"],
            responsible_person=fields["responsible_person"],
            leader=fields["leader"],
            deadline=fields["deadline"],
            checklist={code: done.isoformat() if done else "" for code, done in checklist.items()},
        )

    @extend_schema(request=CheckSerializer, responses=BacklogSerializer)
    @action(detail=True, methods=["post"], url_path="check", url_name="check")
    def tick(self, request, pk=None):
        """Tick (or, with ``done_on: null``, untick) one item of the entry's checklist."""

        def handler() -> Response:
            entry = self.get_object()
            body = CheckSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            header_version = if_match_version(request)
            version = header_version if header_version is not None else body.validated_data.get("version")
            try:
                updated = backlog_check(
                    backlog=entry,
                    code=body.validated_data["code"],
                    done_on=body.validated_data["done_on"],
                    version=version,
                )
            except StaleVersion as stale:
                raise stale_error(stale, header_version is not None) from None
            response = Response(self.get_serializer(self.get_queryset().get(pk=updated.pk)).data)
            response["ETag"] = etag(updated.version)
            return response

        return idempotent(request, handler)
