"""The shared behaviour of every API view: the actor for the audit trail, scoped querysets, idempotent
creates and versioned updates (``If-Match`` or a ``version`` field; 412 or 409 when stale)."""

from contextlib import ExitStack
from dataclasses import replace

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.response import Response

from sanling.accounts.scope import request_scope
from sanling.audit.context import acting, current_actor
from sanling.audit.models import Source
from sanling.core.concurrency import StaleVersion
from sanling.core.middleware import contains_nul, nul_message

from .errors import PreconditionFailed, PreconditionRequired, VersionConflict
from .idempotency import idempotent


class ApiView:
    """Mixed into every API view: the authenticated user becomes the actor of what the request changes."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if empty := sorted(
            {name for name, values in request.query_params.lists() if "" in map(str.strip, values)}
        ):
            # ?until= filters nothing: refused, so a client that lost a value hears of it (the schema says
            # minLength 1). The web list pages share the filters and keep ignoring empty form fields.
            raise exceptions.ValidationError(
                {name: [_("This filter is empty; leave it out or give a value.")] for name in empty}
            )
        if request.method in ("POST", "PUT", "PATCH") and contains_nul(request.data):
            raise exceptions.ValidationError({"non_field_errors": [nul_message()]})
        actor = replace(current_actor(), source=Source.API)
        if request.user.is_authenticated:
            actor = replace(actor, user=request.user, name=request.user.get_username())
        self.actor_context = ExitStack()  # left in finalize_response, which every request reaches
        self.actor_context.enter_context(acting(actor))

    def get_authenticate_header(self, request):
        # A view without authentication classes (the password-for-token exchange) still answers a refused
        # login with 401 and a challenge, as documented, not DRF's 403 fallback.
        return super().get_authenticate_header(request) or 'Bearer realm="api"'

    def finalize_response(self, request, response, *args, **kwargs):
        if context := getattr(self, "actor_context", None):
            context.close()
        return super().finalize_response(request, response, *args, **kwargs)

    @property
    def scope(self):
        return request_scope(self.request)


def etag(version: int) -> str:
    """The ETag of a record at ``version``, as If-Match sends it back."""
    return f'"{version}"'


def if_match_version(request) -> int | None:
    """The version named by ``If-Match`` (``"3"``, ``W/"3"`` or ``3``), or None if the header is absent."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed(_('If-Match must carry the record\'s version, such as "3".'))
    return int(value)


def stale_error(stale: StaleVersion, from_header: bool):
    """412 when the client's If-Match is stale, 409 when the version field in its body is."""
    error = (PreconditionFailed if from_header else VersionConflict)(
        _("Someone else changed this record; it is now at version %(version)s. Nothing was changed.")
        % {"version": stale.current}
    )
    error.current_version = stale.current
    return error


class RecordViewSet(
    ApiView,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """CRUD through the domain's services. Subclasses name them:

    ``perform_create(serializer)`` -> saves through the create service;
    ``update_record(instance, version, changes)`` and ``delete_record(instance, version)``.
    """

    http_method_names = ["get", "post", "patch", "put", "delete", "head", "options"]
    idempotent_posts = True  # Idempotency-Key is honoured (and documented) on these POSTs

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = etag(response.data["version"])
        return response

    def create(self, request, *args, **kwargs):
        return idempotent(request, lambda: super(RecordViewSet, self).create(request, *args, **kwargs))

    def _version(self, request) -> tuple[int, bool]:
        from_header = if_match_version(request)
        if from_header is not None:
            return from_header, True
        body_version = request.data.get("version") if hasattr(request.data, "get") else None
        if body_version in (None, ""):
            raise PreconditionRequired()
        try:
            return int(body_version), False
        except (TypeError, ValueError):
            raise DjangoValidationError({"version": _("The version must be a whole number.")}) from None

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        instance = self.get_object()
        version, from_header = self._version(request)
        serializer = self.get_serializer(instance, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        try:
            updated = self.update_record(instance, version, dict(serializer.validated_data))
        except StaleVersion as stale:
            raise stale_error(stale, from_header) from None
        response = Response(self.get_serializer(updated).data)
        response["ETag"] = etag(updated.version)
        return response

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        version, from_header = self._version(request)
        try:
            self.delete_record(instance, version)
        except StaleVersion as stale:
            raise stale_error(stale, from_header) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def update_record(self, instance, version: int, changes: dict):
        raise NotImplementedError

    def delete_record(self, instance, version: int) -> None:
        raise NotImplementedError
