"""/api/v1/ endpoints of patrols: ``patrols/`` (logs, by ref; a finding may open a hazard or a dispute on
create) and ``patrol-teams/`` (teams with their shifts). Scoped like the pages; PATCH names the version."""

from rest_framework import serializers

from sanling.accounts.scope import request_scope
from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.organisations.models import Organisation
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .models import PatrolLog, PatrolShift, PatrolTeam
from .selectors import logs_for, teams_for
from .services import (
    LOG_EDITABLE,
    TEAM_EDITABLE,
    OpenCase,
    patrol_log_create,
    patrol_log_update,
    patrol_team_create,
    patrol_team_update,
)


class ScopedTeamField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return teams_for(request_scope(self.context["request"]))


class ScopedShiftField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return PatrolShift.objects.filter(team__in=teams_for(request_scope(self.context["request"])))


class PatrolLogSerializer(serializers.ModelSerializer):
    team = ScopedTeamField(help_text="the team's id")
    shift = ScopedShiftField(required=False, allow_null=True, help_text="the shift's id (of that team)")
    region = ScopedSlugField("regions", queryset=Region.objects.none(), help_text="the area's region code")
    hazard = serializers.SlugRelatedField(
        slug_field="ref", read_only=True, help_text="the hazard a finding opened"
    )
    dispute = serializers.SlugRelatedField(
        slug_field="ref", read_only=True, help_text="the dispute a finding opened"
    )
    open_case = serializers.ChoiceField(
        choices=[OpenCase.NONE, OpenCase.HAZARD, OpenCase.DISPUTE],
        write_only=True,
        required=False,
        allow_blank=True,
        help_text='on create: "hazard" or "dispute" opens a case from the findings',
    )
    case_subject = ScopedSlugField(
        "subjects",
        queryset=Subject.objects.none(),
        write_only=True,
        required=False,
        allow_null=True,
        help_text="the subject code the case is opened at (default: the area's village or community)",
    )
    hazard_category = serializers.CharField(write_only=True, required=False, allow_blank=True)
    hazard_level = serializers.ChoiceField(
        choices=["general", "major"], write_only=True, required=False, allow_blank=True
    )

    class Meta:
        model = PatrolLog
        fields = [
            "ref",
            "team",
            "shift",
            "region",
            "started_at",
            "ended_at",
            "route",
            "defence_type",
            "participants",
            "residents_contacted",
            "findings",
            "hazard",
            "dispute",
            "open_case",
            "case_subject",
            "hazard_category",
            "hazard_level",
            "version",
        ]
        read_only_fields = ["version"]
        extra_kwargs = {"ref": {"required": False, "help_text": "given by the caller or generated"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("ref", "team"):
                self.fields[name].read_only = True


class PatrolLogViewSet(RecordViewSet):
    """Patrol logs of the caller's area."""

    serializer_class = PatrolLogSerializer
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["started_at", "ref"]
    ordering = ["-started_at", "ref"]

    def get_queryset(self):
        return logs_for(self.scope)

    def perform_create(self, serializer) -> None:
        serializer.instance = patrol_log_create(**serializer.validated_data, scope=self.scope)

    def update_record(self, instance, version: int, changes: dict):
        changes = {name: value for name, value in changes.items() if name in LOG_EDITABLE}
        return patrol_log_update(log=instance, version=version, scope=self.scope, **changes)


class PatrolShiftSerializer(serializers.ModelSerializer):
    class Meta:
        model = PatrolShift
        fields = ["id", "name", "starts_at", "ends_at"]


class PatrolTeamSerializer(serializers.ModelSerializer):
    region = ScopedSlugField("regions", queryset=Region.objects.none(), help_text="the region code it works")
    organisation = ScopedSlugField(
        "organisations", queryset=Organisation.objects.none(), required=False, allow_null=True
    )
    shifts = PatrolShiftSerializer(many=True, read_only=True)

    class Meta:
        model = PatrolTeam
        fields = [
            "id",
            "region",
            "name",
            "kind",
            "organisation",
            "members",
            "member_count",
            "active",
            "shifts",
            "version",
        ]
        read_only_fields = ["version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            self.fields["region"].read_only = True  # a team keeps its region: its logs lie there


class PatrolTeamViewSet(RecordViewSet):
    """Patrol teams of the caller's area, with their shifts."""

    serializer_class = PatrolTeamSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["region__path", "name"]

    def get_queryset(self):
        return teams_for(self.scope).prefetch_related("shifts")

    def perform_create(self, serializer) -> None:
        serializer.instance = patrol_team_create(**serializer.validated_data, scope=self.scope)

    def update_record(self, instance, version: int, changes: dict):
        changes = {name: value for name, value in changes.items() if name in TEAM_EDITABLE}
        return patrol_team_update(team=instance, version=version, scope=self.scope, **changes)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("patrols", PatrolLogViewSet, basename="patrol")
    router.register("patrol-teams", PatrolTeamViewSet, basename="patrol-team")
    return []
