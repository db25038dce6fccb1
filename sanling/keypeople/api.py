"""/api/v1/key-people/ and /api/v1/key-people/{ref}/visits/.

Identities are masked in every answer (a role that may not unmask never receives them); ``POST
{ref}/unmask/`` with a reason returns them in clear to a role that may unmask, and the read is audited. Writes
go through the services: a PATCH names the version it read (``If-Match`` or ``version``)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.api.cases import UnmaskSerializer
from sanling.api.fields import ScopedSlugField
from sanling.api.views import RecordViewSet
from sanling.personal.access import may_unmask
from sanling.personal.fields import masked_data
from sanling.personal.forms import keep_if_masked
from sanling.personal.services import personal_unmask
from sanling.regions.models import Region

from .filters import KeyPersonFilter
from .models import KeyPerson, KeyPersonVisit, normalize_id_number
from .selectors import is_overdue, key_people, visits_of
from .services import key_person_create, key_person_update, key_person_visit_record

IDENTITY = ("name", "id_number", "phone", "address")
EDITABLE = (
    "region",
    "category",
    "risk_level",
    "name",
    "id_number",
    "phone",
    "address",
    "post",
    "handler",
    "note",
)


class ScopedPostField(serializers.PrimaryKeyRelatedField):
    """A post by its id, looked up only among the posts in the caller's area."""

    def get_queryset(self):
        from sanling.grids.models import Post

        return Post.objects.filter(request_scope(self.context["request"]).region_q())


class KeyPersonSerializer(serializers.ModelSerializer):
    region = ScopedSlugField(
        "regions", queryset=Region.objects.none(), help_text="village, grid or building code"
    )
    handler = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="login of the responsible worker",
    )
    post = ScopedPostField(
        allow_null=True, required=False, help_text="id of the responsible post (/api/v1/posts/)"
    )
    next_visit_due = serializers.DateField(source="case.due_on", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = KeyPerson
        fields = ["ref", *EDITABLE, "registered_on", "active", "next_visit_due", "overdue", "version"]
        read_only_fields = ["ref", "active", "version"]
        extra_kwargs = {"registered_on": {"required": False}}

    def get_overdue(self, person: KeyPerson) -> bool:
        return is_overdue(person)

    def to_representation(self, instance):
        return masked_data("keyperson", super().to_representation(instance))

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        instance = self.instance if isinstance(self.instance, KeyPerson) else None
        for name in IDENTITY:  # a mask sent back as it was read keeps the stored value
            if name in values and instance is not None:
                values[name] = keep_if_masked("keyperson", name, values[name], getattr(instance, name) or "")
        if "id_number" in values:
            values["id_number"] = normalize_id_number(values["id_number"])
        return values

    def run_validators(self, value):  # the services validate (with the masked check-digit error)
        return value

    def get_validators(self):
        return []

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        kwargs.pop("validators", None)
        return field_class, kwargs


class KeyPersonVisitSerializer(serializers.ModelSerializer):
    visitor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    photo = serializers.FileField(write_only=True, required=False)

    class Meta:
        model = KeyPersonVisit
        fields = [
            "id",
            "visited_on",
            "face_to_face",
            "place",
            "findings",
            "visitor",
            "was_due_on",
            "next_due_on",
            "photo",
        ]
        read_only_fields = ["id", "visitor", "was_due_on", "next_due_on"]


class ClearIdentitySerializer(serializers.Serializer):
    ref = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.CharField()
    phone = serializers.CharField()
    address = serializers.CharField()


class KeyPersonViewSet(RecordViewSet):
    """Key persons in the caller's area (department users: none). No DELETE: a person is released."""

    serializer_class = KeyPersonSerializer
    filterset_class = KeyPersonFilter
    lookup_field = "ref"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return key_people(self.scope).order_by("ref")

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        filterset = KeyPersonFilter(
            self.request.query_params or None, queryset=queryset, request=self.request
        )
        if filterset.is_bound and not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        return filterset.qs

    def perform_create(self, serializer) -> None:
        values = dict(serializer.validated_data)
        serializer.instance = key_person_create(actor=self.request.user, **values)

    def update_record(self, instance, version: int, changes: dict):
        values = {name: getattr(instance, name) for name in EDITABLE}
        values.update({name: value for name, value in changes.items() if name in EDITABLE})
        return key_person_update(actor=self.request.user, person=instance, version=version, **values)

    @extend_schema(request=UnmaskSerializer, responses=ClearIdentitySerializer)
    @action(detail=True, methods=["post"])
    def unmask(self, request, ref=None):
        """The person's identity in clear, for a role that may unmask and says why; the read is audited with
        the reason. 403 for a role that may not, 400 without a reason."""
        person = self.get_object()
        if not may_unmask(self.scope):
            raise PermissionDenied(_("You may not see personal data in clear."))
        body = UnmaskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            clear = personal_unmask(
                user=request.user, instance=person, fields=IDENTITY, reason=body.validated_data["reason"]
            )
        except ValidationError as error:
            raise serializers.ValidationError(error.message_dict) from None
        return Response(
            ClearIdentitySerializer({"ref": person.ref, **clear}).data, headers={"Cache-Control": "no-store"}
        )

    @extend_schema(request=KeyPersonVisitSerializer, responses=KeyPersonVisitSerializer(many=True))
    @action(detail=True, methods=["get", "post"], serializer_class=KeyPersonVisitSerializer)
    def visits(self, request, ref=None):
        """GET: the person's visits, latest first. POST: record a visit (multipart with ``photo`` for a
        picture); the next visit falls due a frequency after it."""
        person = self.get_object()
        if request.method == "GET":
            return Response(KeyPersonVisitSerializer(visits_of(person), many=True).data)
        body = KeyPersonVisitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        visit = key_person_visit_record(
            actor=request.user,
            person=person,
            visited_on=data.get("visited_on") or timezone.localdate(),
            face_to_face=data.get("face_to_face", True),
            place=data.get("place", ""),
            findings=data.get("findings", ""),
            photo=data.get("photo"),
        )
        return Response(KeyPersonVisitSerializer(visit).data, status=201)


def register(router) -> list:
    """Register this app's viewsets on the API router; return any extra URL patterns."""
    router.register("key-people", KeyPersonViewSet, basename="key-person")
    return []
