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
    "409": "the version field is stale",
    "412": "If-Match names a stale version",
    "422": "Idempotency-Key reused with a different body",
    "428": "the version is missing",
    "429": "too many requests",
}


class AutoSchema(BaseAutoSchema):
    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "404", "429"]
        if self.method in ("PUT", "PATCH", "DELETE"):
            codes += ["409", "412", "428"]
        if self._idempotent():
            codes += ["422"]
        return codes

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
        if self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    description='the version being changed, as given in the ETag ("3")',
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
