"""What the case endpoints share (issue 17): the step actions of disputes, petitions and agency cases, their
timeline, and the masking of personal fields.

A step is a POST that calls one lifecycle service: it takes ``on`` (the step's date) and ``note``, honours
``Idempotency-Key`` (a retry gets the first answer and moves nothing) and, optionally, ``If-Match`` (412 when
stale) or a ``version`` field (409 when stale). A move the lifecycle refuses is a 409 ``transition_refused``
with the Chinese message; a missing or impossible date is a 400 on ``on``.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.response import Response

from sanling.core.concurrency import StaleVersion
from sanling.organisations.models import Organisation
from sanling.personal.access import may_unmask
from sanling.personal.fields import masked_data
from sanling.personal.forms import keep_if_masked
from sanling.personal.services import REASON_MAX_LENGTH, personal_unmask
from sanling.work.selectors import timeline_of

from .fields import ScopedSlugField
from .idempotency import idempotent
from .views import etag, if_match_version, stale_error


class ScopedRefField(ScopedSlugField):
    """A case record named by its ref, looked up only in the caller's scope (``scoped``: e.g. ``"petitions"``)."""

    def __init__(self, scoped: str, **kwargs):
        super().__init__(scoped, **kwargs)
        self.slug_field = "ref"


class StepSerializer(serializers.Serializer):
    """The body every step takes."""

    on = serializers.DateField(
        help_text="the day of the step (not in the future, not before the previous step)"
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="optional: the version being moved (409 when stale)"
    )


class OrganisationStepSerializer(StepSerializer):
    organisation = ScopedSlugField(
        "reachable_organisations",
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        help_text="the organisation that takes the case (default: the level's own)",
    )


class UnmaskSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=REASON_MAX_LENGTH, help_text="why the personal data is needed in clear (audited)"
    )


class TimelineEntrySerializer(serializers.Serializer):
    on = serializers.DateField()
    at = serializers.DateTimeField()
    action = serializers.CharField()
    action_label = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True, help_text="who recorded it")
    organisation = serializers.CharField(source="organisation.code", allow_null=True)
    organisation_name = serializers.CharField(source="organisation.name", allow_null=True)
    from_step = serializers.CharField()
    from_label = serializers.CharField()
    to_step = serializers.CharField()
    to_label = serializers.CharField()
    note = serializers.CharField()
    details = serializers.DictField()


def timeline_response(item) -> Response:
    entries = timeline_of(item) if item is not None else []
    return Response(TimelineEntrySerializer(entries, many=True).data)


class CaseFieldsMixin(serializers.Serializer):
    """Read-only fields every case record shows from its work item: who holds it, its step and due date."""

    handler = serializers.CharField(
        source="case.handler.username", read_only=True, allow_null=True, help_text="the person holding it"
    )
    due_on = serializers.DateField(source="case.due_on", read_only=True, allow_null=True)
    closed_on = serializers.DateField(source="case.closed_on", read_only=True, allow_null=True)


class MaskedSerializerMixin:
    """Personal fields are masked in every answer; a mask sent back unchanged keeps the stored value."""

    def to_representation(self, instance):
        return masked_data(self.Meta.model._meta.model_name, super().to_representation(instance))

    def keep_masked(self, attrs: dict) -> dict:
        from sanling.personal.fields import PERSONAL_FIELDS

        if self.instance is None or isinstance(self.instance, list | tuple):
            return attrs
        model_name = self.Meta.model._meta.model_name
        for name in PERSONAL_FIELDS.get(model_name, {}):
            if isinstance(attrs.get(name), str):
                attrs[name] = keep_if_masked(
                    model_name, name, attrs[name], getattr(self.instance, name) or ""
                )
        return attrs


class CaseActionsMixin:
    """Runs the step actions of a case viewset (a ``RecordViewSet`` or ``CaseViewSet``)."""

    step_actions: tuple[str, ...] = ()  # the actions that move the case (409/412/422 in the schema)

    def get_step_serializer(self, serializer_class, data):
        return serializer_class(data=data, context=self.get_serializer_context())

    def run_step(self, request, body_class: type[serializers.Serializer], move: Callable) -> Response:
        """Look the record up (404 outside the scope, before anything else), check the body, then
        ``move(record, version, values)``; answer the record as it now is, with its ETag."""

        def handler() -> Response:
            record = self.get_object()
            body = self.get_step_serializer(body_class, request.data)
            body.is_valid(raise_exception=True)
            values = dict(body.validated_data)
            header_version = if_match_version(request)
            body_version = values.pop("version", None)
            version = header_version if header_version is not None else body_version
            try:
                moved = move(record, version, values)
            except StaleVersion as stale:
                raise stale_error(stale, header_version is not None) from None
            fresh = self.get_queryset().get(pk=moved.pk)
            response = Response(self.get_serializer(fresh).data)
            response["ETag"] = etag(fresh.version)
            return response

        return idempotent(request, handler)


def unmask_values(request, scope, instance, fields: list[str]) -> dict[str, str]:
    """The clear values of ``instance``'s personal ``fields`` for a user who may unmask them and gives a
    reason (``personal_unmask`` audits the read). 403 for a role that may not, 400 without a reason."""
    if not may_unmask(scope):
        raise PermissionDenied(_("You may not see personal data in clear."))
    body = UnmaskSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    try:
        return personal_unmask(
            user=request.user, instance=instance, fields=fields, reason=body.validated_data["reason"]
        )
    except DjangoValidationError as error:
        raise serializers.ValidationError(error.message_dict) from None
