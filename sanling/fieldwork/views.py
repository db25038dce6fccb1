"""Pages of 基层工作: the grid worker's "today" (visits due, hazards to re-check and to rectify, open cases,
big buttons to record what they did) and the hub of the fieldwork apps."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanling.accounts.scope import request_scope

from .selectors import today_for
from .sources import action_links, hub_links


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """ "Today" at 375 px, one-handed: what is due, what waits for the user, and a button for each record."""
    scope = request_scope(request)
    if not scope.sees_business_data:
        raise PermissionDenied
    day = today_for(request.user, scope=scope)
    return render(
        request,
        "fieldwork/today.html",
        {
            "day": day,
            "actions": action_links(places=scope.records_places) if scope.can_write else [],
            "hub": hub_links(),
            "home_region": scope.home,
        },
    )
