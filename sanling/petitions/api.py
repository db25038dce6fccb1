"""Petitions (信访) over the API, through the petition services: CRUD, the steps 受理 → 答复 → (复查 → 复核) →
终结 with 延期 and 上交/越级, the timeline, and ``unmask``. The petitioner's name, ID number and phone are
personal data: masked in every answer, in clear only through ``unmask`` with a reason (audited)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

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
from sanling.api.records import DatedRecordSerializer
from sanling.api.views import RecordViewSet
from sanling.disputes.models import Satisfaction
from sanling.events.models import PetitionLevel
from sanling.organisations.models import Organisation
from sanling.personal.fields import personal_columns
from sanling.subjects.models import Subject

from .filters import PetitionFilter
from .models import Petition
from .services import (
    petition_accept,
    petition_conclude,
    petition_create,
    petition_delete,
    petition_escalate,
    petition_extend,
    petition_reply,
    petition_review,
    petition_update,
)

PETITIONER = ["petitioner_name", "petitioner_id_number", "petitioner_phone"]
# What an edit may correct (petition_update); the rest moves only with the steps.
EDITABLE = (
    "channel",
    "visit_mode",
    "summary",
    *PETITIONER,
    "repeat",
    "collective",
    "people_count",
    "claim",
    "satisfaction",
)
FIXED_AFTER_CREATE = ("subject", "received_on", "level", "bypass", "organisation")


class PetitionSerializer(MaskedSerializerMixin, CaseFieldsMixin, DatedRecordSerializer):
    organisation = ScopedSlugField(
        "reachable_organisations",
        source="case.organisation",
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        help_text="code of the organisation holding the case (on create: default the level's 信访办)",
    )
    backlog = serializers.BooleanField(source="case.backlog", read_only=True, help_text="on the 积案 ledger")
    rule_set = serializers.CharField(source="rule_set.code", read_only=True, allow_null=True)
    from_dispute = serializers.CharField(source="from_dispute.ref", read_only=True, allow_null=True)
    event = serializers.CharField(
        source="event.ref", read_only=True, allow_null=True, help_text="its petition event (county or above)"
    )

    class Meta:
        model = Petition
        fields = [
            "ref",
            "subject",
            "received_on",
            "channel",
            "visit_mode",
            "summary",
            "level",
            *PETITIONER,
            "repeat",
            "collective",
            "people_count",
            "bypass",
            "claim",
            "step",
            "accept_due_on",
            "accepted_on",
            "result_due_on",
            "extended_on",
            "replied_on",
            "concluded_on",
            "satisfaction",
            "organisation",
            "handler",
            "due_on",
            "closed_on",
            "backlog",
            "rule_set",
            "from_dispute",
            "event",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "step",
            "accept_due_on",
            "accepted_on",
            "result_due_on",
            "extended_on",
            "replied_on",
            "concluded_on",
        ]
        extra_kwargs = {
            "ref": {"required": False, "help_text": "given by the caller or generated"},
            # The ID number's check runs on the model (full_clean), after a mask sent back is replaced by the
            # stored value: here it would refuse the mask.
            "petitioner_id_number": {"validators": [], "help_text": "居民身份证号码 (masked in answers)"},
            "petitioner_name": {"help_text": "personal data (masked in answers)"},
            "petitioner_phone": {"help_text": "personal data (masked in answers)"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in FIXED_AFTER_CREATE:  # moved by the steps (escalate), not by an edit
                self.fields[name].read_only = True

    def validate(self, attrs):
        return self.keep_masked(super().validate(attrs))


class ExtendSerializer(StepSerializer):
    note = serializers.CharField(max_length=2000, help_text="why the handling period is extended (required)")


class ConcludeSerializer(StepSerializer):
    satisfaction = serializers.ChoiceField(
        choices=Satisfaction.choices, required=False, allow_blank=True, default="", help_text="from the 回访"
    )


class PetitionEscalateSerializer(OrganisationStepSerializer):
    level = serializers.ChoiceField(
        choices=PetitionLevel.choices, help_text="the higher level it now stands at"
    )
    bypass = serializers.BooleanField(
        required=False, default=False, help_text="越级: the petitioner skipped a level"
    )


class PetitionerSerializer(serializers.Serializer):
    ref = serializers.CharField()
    petitioner_name = serializers.CharField(allow_blank=True)
    petitioner_id_number = serializers.CharField(allow_blank=True)
    petitioner_phone = serializers.CharField(allow_blank=True)


STEP_DOC = "Answers the petition as it now is; 409 when the lifecycle refuses the move, 400 for a bad date."


class PetitionViewSet(CaseActionsMixin, RecordViewSet):
    """Petitions worked as cases to the deadlines of the county's rule set."""

    serializer_class = PetitionSerializer
    filterset_class = PetitionFilter
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["received_on", "ref", "updated_at"]
    ordering = ["-received_on", "ref"]
    step_actions = ("accept", "reply", "extend", "conclude", "review", "escalate")

    def get_queryset(self):
        return (
            self.scope.petitions()
            .select_related(
                "subject", "case__organisation", "case__handler", "rule_set", "from_dispute", "event"
            )
            .defer(*personal_columns(Subject, "subject__"))
        )

    def perform_create(self, serializer) -> None:
        fields = dict(serializer.validated_data)
        organisation = fields.pop("case", {}).get("organisation")
        serializer.instance = petition_create(organisation=organisation, **fields)

    def update_record(self, instance, version: int, changes: dict):
        return petition_update(
            petition=instance, version=version, **{k: v for k, v in changes.items() if k in EDITABLE}
        )

    def delete_record(self, instance, version: int) -> None:
        petition_delete(petition=instance, version=version)

    def _step(self, request, body, service):
        return self.run_step(
            request,
            body,
            lambda petition, version, values: service(petition=petition, version=version, **values),
        )

    @extend_schema(request=StepSerializer, responses=PetitionSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def accept(self, request, ref=None):
        """受理 and 告知: the petition is handled, due for its result by the rule set."""
        return self._step(request, StepSerializer, petition_accept)

    @extend_schema(request=StepSerializer, responses=PetitionSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def reply(self, request, ref=None):
        """答复 the result; the petitioner may ask for a review within the review period."""
        return self._step(request, StepSerializer, petition_reply)

    @extend_schema(request=ExtendSerializer, responses=PetitionSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def extend(self, request, ref=None):
        """延期: once, by the rule set's extension, with the reason in ``note``."""
        return self._step(request, ExtendSerializer, petition_extend)

    @extend_schema(request=ConcludeSerializer, responses=PetitionSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def conclude(self, request, ref=None):
        """终结 (办结), with the petitioner's ``satisfaction`` if known."""
        return self._step(request, ConcludeSerializer, petition_conclude)

    @extend_schema(request=StepSerializer, responses=PetitionSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def review(self, request, ref=None):
        """复查 after a reply, 复核 after a review."""
        return self._step(request, StepSerializer, petition_review)

    @extend_schema(request=PetitionEscalateSerializer, responses=PetitionSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def escalate(self, request, ref=None):
        """上交 (or 越级 with ``bypass``): the case now stands at ``level``; reaching the county or above records
        its petition event that day."""
        return self._step(request, PetitionEscalateSerializer, petition_escalate)

    @extend_schema(responses=TimelineEntrySerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def timeline(self, request, ref=None):
        """Every step of the case in order (a petition turned from a dispute: the dispute's steps first)."""
        return timeline_response(self.get_object().case)

    @extend_schema(request=UnmaskSerializer, responses=PetitionerSerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request, ref=None):
        """The petitioner's name, ID number and phone in clear, for a user who may see personal data and says
        why; the read is audited with the reason. 403 for a role that may not unmask, 400 without a reason."""
        petition = self.get_object()
        values = unmask_values(request, self.scope, petition, PETITIONER)
        return Response(
            PetitionerSerializer({"ref": petition.ref, **values}).data, headers={"Cache-Control": "no-store"}
        )
