"""The OpenAPI schema says everything a client can get back: the error format on every operation, the
Idempotency-Key and If-Match headers, and the ETag of single records."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as BaseAutoSchema
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from .errors import ErrorSerializer

ERRORS = {
    "400": "invalid input",
    "401": "not signed in",
    "403": "not allowed for your role",
    "404": "no such object in your scope",
    "409": "the version field is stale, or the case's lifecycle refuses the step (transition_refused)",
    "412": "If-Match names a stale version",
    "422": "Idempotency-Key reused with a different body",
    "413": "the body is larger than the server reads (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB by default)",
    "415": "the body is not JSON",
    "428": "If-Match (or a version field) is missing",
    "429": "too many requests",
    "503": "the database cannot be reached; Retry-After says when to try again",
}
# A query parameter is a filter: sent empty (?until=) it is refused (400), never silently ignored.
NOT_EMPTY = {"minLength": 1}
PERIOD_PATTERN = r"^[0-9]{4}([Qq][1-4]|-(0[1-9]|1[0-2]))?$"


class AutoSchema(BaseAutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404", "429", "503"]
        if self.method in ("POST", "PUT", "PATCH"):
            codes += ["413", "415"]
        if self._versioned():
            codes += ["409", "412", "428"]
        elif self._step():
            codes += ["409", "412"]
        if self._idempotent():
            codes += ["422"]
        return codes

    def _versioned(self) -> bool:
        """PUT, PATCH and DELETE of a record with a version (not of a token, which has none)."""
        from .views import RecordViewSet

        return self.method in ("PUT", "PATCH", "DELETE") and isinstance(self.view, RecordViewSet)

    def _get_parameters(self):
        parameters = super()._get_parameters()
        for parameter in parameters:
            if parameter["in"] != "query":
                continue
            schema = parameter["schema"]
            if schema.get("type") == "string" and "enum" not in schema:
                schema.update(NOT_EMPTY)
            if parameter["name"] in ("page", "page_size"):
                schema["minimum"] = 1
            if parameter["name"] == "period":
                schema["pattern"] = PERIOD_PATTERN
        return parameters

    def _step(self) -> bool:
        """A step of a case (``escalate``, ``accept`` …): If-Match is optional there."""
        return self.method == "POST" and getattr(self.view, "action", None) in getattr(
            self.view, "step_actions", ()
        )

    def _idempotent(self) -> bool:
        return self.method == "POST" and getattr(self.view, "idempotent_posts", False)

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = ERRORS[code]
                responses[code] = response
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._idempotent():
            parameters.append(
                OpenApiParameter(
                    "Idempotency-Key",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description="a retry with the same key and body returns the first response",
                )
            )
        if self._versioned():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    {"type": "string", "pattern": r'^(W/)?"?[0-9]{1,9}"?$'},
                    OpenApiParameter.HEADER,
                    required=True,  # without it (or a version field in the body) the answer is 428
                    description='the version being changed, as given in the ETag ("3")',
                )
            )
        if self._step():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    {"type": "string", "pattern": r'^(W/)?"?[0-9]{1,9}"?$'},
                    OpenApiParameter.HEADER,
                    description='optional: the version being moved, as given in the ETag ("3"); 412 when stale',
                )
            )
        return parameters


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sanling.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Bearer")


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "sanling.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME}
