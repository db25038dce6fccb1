"""Disputes (矛盾纠纷) over the API, through the dispute services: CRUD, and the moves of the case up the
三级过滤网 (``mediate``, ``escalate``, ``resolve``, ``fail``, ``to-petition``, ``to-litigation``,
``follow-up``) with its ``timeline``. The parties are personal data: masked in every answer, in clear only
through ``unmask`` with a reason (audited)."""

from django.db.models import OuterRef, Subquery
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.cases import (
    CaseActionsMixin,
    CaseFieldsMixin,
    MaskedSerializerMixin,
    OrganisationStepSerializer,
    StepSerializer,
    TimelineEntrySerializer,
    UnmaskSerializer,
    timeline_response,
    unmask_values,
)
from sanling.api.fields import ScopedSlugField
from sanling.api.records import DatedRecordSerializer, DatedRecordViewSet
from sanling.events.models import PetitionLevel
from sanling.organisations.models import Organisation
from sanling.personal.fields import personal_columns
from sanling.petitions.models import Channel, Claim, Petition, VisitMode
from sanling.regions.models import BELOW_VILLAGE_LEVELS, Region
from sanling.subjects.models import Subject

from .filters import DisputeFilter
from .models import DISPUTE_FIELDS, Diagnosis, Dispute, MediationMethod, ResolvedLevel, Satisfaction
from .services import (
    dispute_create,
    dispute_delete,
    dispute_escalate,
    dispute_fail,
    dispute_follow_up,
    dispute_mediate,
    dispute_resolve,
    dispute_to_litigation,
    dispute_to_petition,
    dispute_update,
)

# The case fields a client writes; follow_up_on and satisfaction are the 回访's (``follow-up``).
WRITABLE_CASE_FIELDS = ("level", "diagnosis", "parties", "agreement")


class GridField(ScopedSlugField):
    """The grid or 楼宇 it was found in, by code, among those of the caller's area."""

    def get_queryset(self):
        return super().get_queryset().filter(level__in=BELOW_VILLAGE_LEVELS)


class DisputeSerializer(MaskedSerializerMixin, CaseFieldsMixin, DatedRecordSerializer):
    grid = GridField(
        "regions",
        queryset=Region.objects.none(),
        required=False,
        allow_null=True,
        help_text="code of the grid or 楼宇 of the subject's village it was found in",
    )
    organisation = ScopedSlugField(
        "reachable_organisations",
        source="case.organisation",
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        help_text="code of the organisation holding the case (on create: default the level's mediator)",
    )
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, read_only=True, allow_blank=True, help_text="from the 回访 (follow-up)"
    )
    step = serializers.CharField(
        source="case.step",
        read_only=True,
        allow_null=True,
        help_text="the case's step (a petition's, once 转信访)",
    )
    petition = serializers.CharField(
        source="petition_ref", read_only=True, allow_null=True, help_text="the petition it became (转信访)"
    )
    petition_event = serializers.CharField(
        source="petition_event_ref",
        read_only=True,
        allow_null=True,
        help_text="the petition event that petition recorded (county level or above)",
    )

    class Meta:
        model = Dispute
        fields = [
            "ref",
            "subject",
            *DISPUTE_FIELDS,
            "grid",
            *WRITABLE_CASE_FIELDS,
            "follow_up_on",
            "satisfaction",
            "organisation",
            "handler",
            "step",
            "due_on",
            "closed_on",
            "petition",
            "petition_event",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["follow_up_on", "satisfaction"]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "given by the caller or generated"},
            "level": {"help_text": "the level it is worked at: group (default), village, town or county"},
            "parties": {"help_text": "the parties (personal data: masked in answers)"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["organisation"].read_only = True  # the case moves with its steps, not by an edit

    def validate(self, attrs):
        return self.keep_masked(super().validate(attrs))


# The bodies of the steps.


class MediateSerializer(OrganisationStepSerializer):
    diagnosis = serializers.ChoiceField(
        choices=Diagnosis.choices, required=False, allow_blank=True, default=""
    )


class EscalateSerializer(OrganisationStepSerializer):
    to_level = serializers.ChoiceField(
        choices=ResolvedLevel.choices, help_text="one level up (a skip needs a note)"
    )


class ResolveSerializer(StepSerializer):
    level = serializers.ChoiceField(
        choices=ResolvedLevel.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="default: its level",
    )
    method = serializers.ChoiceField(choices=MediationMethod.choices)
    agreement = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ToPetitionSerializer(StepSerializer):
    petition_level = serializers.ChoiceField(choices=PetitionLevel.choices)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False, default=Channel.VISIT)
    visit_mode = serializers.ChoiceField(choices=VisitMode.choices, required=False, allow_blank=True)
    summary = serializers.CharField(max_length=500, required=False, help_text="default: the dispute's")
    petitioner_name = serializers.CharField(max_length=60, required=False, allow_blank=True)
    petitioner_id_number = serializers.CharField(max_length=18, required=False, allow_blank=True)
    petitioner_phone = serializers.CharField(max_length=24, required=False, allow_blank=True)
    repeat = serializers.BooleanField(required=False)
    collective = serializers.BooleanField(required=False)
    people_count = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    bypass = serializers.BooleanField(required=False)
    claim = serializers.ChoiceField(choices=Claim.choices, required=False, allow_blank=True)


class FollowUpSerializer(StepSerializer):
    satisfaction = serializers.ChoiceField(choices=Satisfaction.choices)


class PartiesSerializer(serializers.Serializer):
    ref = serializers.CharField()
    parties = serializers.CharField(allow_blank=True)


STEP_DOC = "Answers the dispute as it now is; 409 when the lifecycle refuses the move, 400 for a bad date."


class DisputeViewSet(CaseActionsMixin, DatedRecordViewSet):
    """Disputes registered, mediated and resolved at a subject, each a case up the 三级过滤网."""

    serializer_class = DisputeSerializer
    filterset_class = DisputeFilter
    ordering_fields = ["reported_on", "ref", "updated_at"]
    ordering = ["-reported_on", "ref"]
    record_argument = "dispute"
    create_service = staticmethod(dispute_create)
    update_service = staticmethod(dispute_update)
    delete_service = staticmethod(dispute_delete)
    step_actions = ("mediate", "escalate", "resolve", "fail", "to_petition", "to_litigation", "follow_up")

    def get_queryset(self):
        # The subject's contact data is not part of the answer: left unread, nothing is decrypted.
        became = Petition.objects.filter(from_dispute=OuterRef("pk"))
        return (
            request_scope(self.request)
            .disputes()
            .select_related("subject", "case__organisation", "case__handler", "grid")
            .defer(*personal_columns(Subject, "subject__"))
            .annotate(
                petition_ref=Subquery(became.values("ref")[:1]),
                petition_event_ref=Subquery(became.values("event__ref")[:1]),
            )
        )

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        organisation = fields.pop("case", {}).get("organisation")
        serializer.instance = dispute_create(organisation=organisation, **fields)

    def update_record(self, instance, version: int, changes: dict):
        changes.pop("case", None)
        return dispute_update(dispute=instance, version=version, **changes)

    @extend_schema(request=MediateSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def mediate(self, request, ref=None):
        """调解: mediation starts at the dispute's level (optionally tagged with a 四诊 stage)."""
        return self.run_step(
            request,
            MediateSerializer,
            lambda dispute, version, values: dispute_mediate(
                dispute=dispute, version=version, **_organisation_or_unchanged(values)
            ),
        )

    @extend_schema(request=EscalateSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def escalate(self, request, ref=None):
        """上交: the case goes one level up (``to_level``) and keeps its ref; skipping a level needs a note."""
        return self.run_step(
            request,
            EscalateSerializer,
            lambda dispute, version, values: dispute_escalate(dispute=dispute, version=version, **values),
        )

    @extend_schema(request=ResolveSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def resolve(self, request, ref=None):
        """化解: settled at ``level`` (default: the level it is at) by a ``method`` of mediation."""
        return self.run_step(
            request,
            ResolveSerializer,
            lambda dispute, version, values: dispute_resolve(dispute=dispute, version=version, **values),
        )

    @extend_schema(request=StepSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def fail(self, request, ref=None):
        """调解不成: the case closes; the parties may still petition or go to court."""
        return self.run_step(
            request,
            StepSerializer,
            lambda dispute, version, values: dispute_fail(dispute=dispute, version=version, **values),
        )

    @extend_schema(request=ToPetitionSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"], url_path="to-petition")
    def to_petition(self, request, ref=None):
        """转信访: the case carries on as a petition under the same ref (``petition``); at county level or above
        it records its petition event the same day (``petition_event``, an ordinary event of /events/)."""
        return self.run_step(
            request,
            ToPetitionSerializer,
            lambda dispute, version, values: (
                dispute_to_petition(dispute=dispute, version=version, **values).from_dispute
            ),
        )

    @extend_schema(request=StepSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"], url_path="to-litigation")
    def to_litigation(self, request, ref=None):
        """转诉讼/仲裁 (诉讼断后): the case leaves mediation for a court or an arbitration commission."""
        return self.run_step(
            request,
            StepSerializer,
            lambda dispute, version, values: dispute_to_litigation(
                dispute=dispute, version=version, **values
            ),
        )

    @extend_schema(request=FollowUpSerializer, responses=DisputeSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"], url_path="follow-up")
    def follow_up(self, request, ref=None):
        """回访: a visit after the resolution, with the parties' ``satisfaction``."""
        return self.run_step(
            request,
            FollowUpSerializer,
            lambda dispute, version, values: dispute_follow_up(dispute=dispute, version=version, **values),
        )

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, ref=None):
        """Every step of the case in order: who, which organisation, when, from → to, and the note."""
        return timeline_response(self.get_object().case)

    @extend_schema(request=UnmaskSerializer, responses=PartiesSerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request, ref=None):
        """The parties in clear, for a user who may see personal data and says why; the read is audited with
        the reason. 403 for a role that may not unmask, 400 without a reason."""
        dispute = self.get_object()
        values = unmask_values(request, self.scope, dispute, ["parties"])
        return Response(
            PartiesSerializer({"ref": dispute.ref, **values}).data, headers={"Cache-Control": "no-store"}
        )


def _organisation_or_unchanged(values: dict) -> dict:
    """``organisation`` left out (or null) keeps the case where it is."""
    if values.get("organisation") is None:
        values.pop("organisation", None)
    return values
