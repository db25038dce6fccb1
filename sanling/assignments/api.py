"""/api/v1/assignments/: the 交办 of the caller's area by ref (given by their county or town, or received by
their organisations), given by POST, and moved by ``{ref}/feedback/`` (multipart/form-data: ``text``, one or
more ``evidence`` files, ``late_reason`` after the deadline), ``{ref}/accept/`` and ``{ref}/return/``. 404
outside the area, 403 for the wrong side, 409 for a move the lifecycle refuses or a stale ``version``, 400 with
a Chinese message for a bad value."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser

from sanling.accounts.scope import request_scope
from sanling.api.cases import CaseActionsMixin
from sanling.api.fields import ScopedSlugField
from sanling.api.parsers import JSONParser
from sanling.api.views import ApiView, etag
from sanling.organisations.models import Organisation
from sanling.subjects.models import Subject

from .filters import AssignmentFilter
from .models import Assignment
from .selectors import assignments_for
from .services import assignment_accept, assignment_create, assignment_feedback, assignment_return

STEP_DOC = (
    "Answers the assignment as it now is; 403 for the wrong side, 409 when the lifecycle refuses the move."
)


class AssignmentSerializer(serializers.ModelSerializer):
    organisation = ScopedSlugField("organisations", queryset=Organisation.objects.none())
    owner = serializers.SlugRelatedField(
        slug_field="username", queryset=get_user_model().objects.none(), required=False, allow_null=True
    )
    subjects = ScopedSlugField("subjects", queryset=Subject.objects.none(), many=True, required=False)
    giver_region = serializers.CharField(source="giver_region.code", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = [
            "ref",
            "week",
            "giver_region",
            "organisation",
            "owner",
            "issue",
            "subjects",
            "given_on",
            "due_on",
            "status",
            "source",
            "feedback",
            "fed_back_on",
            "late_reason",
            "concluded_on",
            "returns",
            "overdue",
            "version",
        ]
        read_only_fields = [
            "ref",
            "week",
            "given_on",
            "status",
            "source",
            "feedback",
            "fed_back_on",
            "late_reason",
            "concluded_on",
            "returns",
            "version",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["owner"].queryset = request_scope(request).members()

    def get_overdue(self, assignment) -> bool:
        from django.utils import timezone

        return assignment.overdue_on(timezone.localdate())


class FeedbackSerializer(serializers.Serializer):
    text = serializers.CharField()
    evidence = serializers.ListField(child=serializers.FileField(), required=False, allow_empty=True)
    late_reason = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class AcceptSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(required=False)


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()
    version = serializers.IntegerField(required=False)


class AssignmentViewSet(
    CaseActionsMixin,
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """交办单 (一周一交办): 待反馈 → 已反馈 (feedback and evidence) → 已办结, or 退回 back to 待反馈."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    ordering_fields = ["given_on", "due_on", "ref"]
    ordering = ["-given_on", "ref"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return (
            assignments_for(request_scope(self.request))
            .select_related("organisation", "owner", "giver_region")
            .prefetch_related("subjects")
        )

    def perform_create(self, serializer) -> None:
        scope = request_scope(self.request)
        data = dict(serializer.validated_data)
        serializer.instance = assignment_create(
            giver_region=scope.region if scope.region is not None else scope.home,
            organisation=data["organisation"],
            owner=data.get("owner"),
            issue=data["issue"],
            subjects=data.get("subjects", []),
            due_on=data["due_on"],
            scope=scope,
        )

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if response.status_code == 201:
            response["ETag"] = etag(response.data["version"])
        return response

    @extend_schema(request=FeedbackSerializer, responses=AssignmentSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def feedback(self, request, ref=None):
        """反馈, by the receiving organisation: ``text``, at least one ``evidence`` file, and a ``late_reason``
        after the deadline."""
        return self.run_step(
            request,
            FeedbackSerializer,
            lambda assignment, version, values: assignment_feedback(
                assignment=assignment,
                version=version,
                user=request.user,
                text=values["text"],
                evidence=values.get("evidence") or request.FILES.getlist("evidence"),
                late_reason=values.get("late_reason", ""),
            ),
        )

    @extend_schema(request=AcceptSerializer, responses=AssignmentSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"])
    def accept(self, request, ref=None):
        """办结, by the giving side: the feedback is accepted."""
        return self.run_step(
            request,
            AcceptSerializer,
            lambda assignment, version, values: assignment_accept(
                assignment=assignment, version=version, user=request.user, note=values.get("note", "")
            ),
        )

    @extend_schema(request=ReturnSerializer, responses=AssignmentSerializer, description=STEP_DOC)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, ref=None):
        """退回, by the giving side, with a ``reason``: back to 待反馈."""
        return self.run_step(
            request,
            ReturnSerializer,
            lambda assignment, version, values: assignment_return(
                assignment=assignment, version=version, user=request.user, reason=values["reason"]
            ),
        )


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("assignments", AssignmentViewSet, basename="assignment")
    return []
