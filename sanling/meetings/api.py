"""/api/v1/meetings/: meetings of the caller's area by ref, created with their attendance and problems (a
problem may open a hazard or a dispute); PATCH (date, place, minutes) names the version."""

from rest_framework import serializers

from sanling.accounts.scope import request_scope
from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.patrols.services import OpenCase
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .models import Attendance, Meeting, MeetingProblem, ParticipantCategory
from .selectors import meetings_for
from .services import MEETING_EDITABLE, AttendeeInput, ProblemInput, meeting_create, meeting_update


class ScopedPostField(serializers.PrimaryKeyRelatedField):
    """A grid post (by id) standing in the caller's subtree."""

    def get_queryset(self):
        from sanling.grids.models import Post

        return Post.objects.filter(request_scope(self.context["request"]).region_q())


class AttendanceSerializer(serializers.ModelSerializer):
    category = serializers.ChoiceField(choices=ParticipantCategory.choices)
    post = ScopedPostField(required=False, allow_null=True, help_text="the grid post's id")
    subject = ScopedSlugField("subjects", queryset=Subject.objects.none(), required=False, allow_null=True)

    class Meta:
        model = Attendance
        fields = ["category", "name", "present", "post", "subject"]


class ProblemSerializer(serializers.ModelSerializer):
    dispute = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    hazard = serializers.SlugRelatedField(slug_field="ref", read_only=True)
    open_case = serializers.ChoiceField(
        choices=[OpenCase.NONE, OpenCase.HAZARD, OpenCase.DISPUTE],
        write_only=True,
        required=False,
        allow_blank=True,
    )
    case_subject = ScopedSlugField(
        "subjects", queryset=Subject.objects.none(), write_only=True, required=False, allow_null=True
    )
    hazard_category = serializers.CharField(write_only=True, required=False, allow_blank=True)
    hazard_level = serializers.ChoiceField(
        choices=["general", "major"], write_only=True, required=False, allow_blank=True
    )

    class Meta:
        model = MeetingProblem
        fields = ["text", "dispute", "hazard", "open_case", "case_subject", "hazard_category", "hazard_level"]


class MeetingSerializer(serializers.ModelSerializer):
    region = ScopedSlugField(
        "regions", queryset=Region.objects.none(), help_text="the community's region code"
    )
    attendance = AttendanceSerializer(many=True, required=False)
    problems = ProblemSerializer(many=True, required=False)

    class Meta:
        model = Meeting
        fields = ["ref", "region", "kind", "held_on", "place", "minutes", "attendance", "problems", "version"]
        read_only_fields = ["version"]
        extra_kwargs = {"ref": {"required": False, "help_text": "given by the caller or generated"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            for name in ("ref", "region", "kind", "attendance", "problems"):
                self.fields[name].read_only = True


class MeetingViewSet(RecordViewSet):
    """Meetings held in the caller's area."""

    serializer_class = MeetingSerializer
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering = ["-held_on", "ref"]

    def get_queryset(self):
        return meetings_for(self.scope).prefetch_related(
            "attendance", "problems__dispute", "problems__hazard"
        )

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        attendance = [AttendeeInput(**row) for row in data.pop("attendance", [])]
        problems = [
            ProblemInput(
                text=row["text"],
                open_case=row.get("open_case") or "",
                subject=row.get("case_subject"),
                hazard_category=row.get("hazard_category") or "",
                hazard_level=row.get("hazard_level") or "",
            )
            for row in data.pop("problems", [])
        ]
        serializer.instance = meeting_create(
            **data, attendance=attendance, problems=problems, scope=self.scope
        )

    def update_record(self, instance, version: int, changes: dict):
        changes = {name: value for name, value in changes.items() if name in MEETING_EDITABLE}
        return meeting_update(meeting=instance, version=version, scope=self.scope, **changes)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("meetings", MeetingViewSet, basename="meeting")
    return []
