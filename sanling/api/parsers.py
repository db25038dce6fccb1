"""The API's JSON parser: a body too deep or too large is the client's mistake (400, 413), not a crash."""

import io

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status

# No record the API takes nests more than two levels; 32 leaves room and stops a stack-deep body.
MAX_DEPTH = 32


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"
    default_detail = _("The request body is too large.")


def body_limit() -> int:
    """The largest body the API reads (Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, 2.5 MB by default)."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 2_621_440


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = body_limit()
        data = stream.read(limit + 1) if stream is not None else b""
        if len(data) > limit:
            raise BodyTooLarge()

        try:
            parsed = super().parse(io.BytesIO(data), media_type, parser_context)
        except RecursionError:
            # json.loads recurses once per nesting level: 100,000 brackets exhaust the stack.
            parsed = None
        else:
            if depth(parsed) <= MAX_DEPTH:
                return parsed
        # A few hundred levels pass json.loads but would exhaust the stack of whatever walks the data next.
        raise exceptions.ParseError(_("The JSON is nested too deeply.")) from None


def depth(value) -> int:
    """How deeply lists and objects nest in ``value``, counted without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in item)
    return deepest
