"""The audit trail on screen, for the audit role."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanling.accounts.scope import request_scope

from .display import readable
from .selectors import audit_entries_for

FILTERS = ("object_type", "object_key", "actor_name", "action", "verb", "chain")


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    if not scope.can_audit:
        raise PermissionDenied
    found = audit_entries_for(scope)
    applied = {name: request.GET[name] for name in FILTERS if request.GET.get(name)}
    found = found.filter(**applied)
    page = Paginator(found.order_by("-id"), 50).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    for name in [name for name, value in filters.items() if not value]:
        del filters[name]
    return render(
        request,
        "audit/entry_list.html",
        {
            "page": page,
            "entries": readable(page),
            "query": request.GET,
            "filters": filters.urlencode(),  # kept on the links to other pages
        },
    )
