"""Refuse text with NUL characters before it reaches a query: PostgreSQL cannot store or compare it, so
it would otherwise surface as a server error wherever a parameter meets the database."""

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


def contains_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(contains_nul(key) or contains_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(contains_nul(item) for item in value)
    return False


def nul_message() -> str:
    return _("The request contains a NUL character, which no field accepts.")


class RejectNulCharacters:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form_values = (
            request.POST.lists()
            if request.content_type.startswith(("multipart/", "application/x-www"))
            else []
        )
        if (
            NUL in request.path
            or any(contains_nul(key) or contains_nul(values) for key, values in request.GET.lists())
            or any(contains_nul(key) or contains_nul(values) for key, values in form_values)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "invalid", "message": nul_message()}, status=400)
            return HttpResponseBadRequest(nul_message())
        return self.get_response(request)
