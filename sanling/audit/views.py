"""The audit trail on screen, for the audit role."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanling.accounts.scope import request_scope

from .selectors import audit_entries_for


@login_required
def entries(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    if not scope.can_audit:
        raise PermissionDenied
    found = audit_entries_for(scope)
    for name in ("object_type", "object_key", "actor_name", "action"):
        if request.GET.get(name):
            found = found.filter(**{name: request.GET[name]})
    page = Paginator(found.order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/entry_list.html", {"page": page, "query": request.GET})
