"""Pages of 基层工作: the grid worker's "today" (visits due, hazards to re-check and to rectify, open cases,
big buttons to record what they did) and the hub of the fieldwork apps."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from sanling.accounts.scope import request_scope

from .selectors import today_for
from .sources import ACTIONS, LISTS, first_url


@login_required
def today(request: HttpRequest) -> HttpResponse:
    """ "Today" at 375 px, one-handed: what is due, what waits for the user, and a button for each record."""
    scope = request_scope(request)
    if not scope.sees_business_data:
        raise PermissionDenied
    day = today_for(request.user, scope=scope)
    actions = [(app, label, first_url(names)) for app, label, names in ACTIONS] if scope.can_write else []
    hub = [(app, label, first_url((f"{app}:list",))) for app, label in LISTS]
    return render(
        request,
        "fieldwork/today.html",
        {
            "day": day,
            "actions": [action for action in actions if action[2]],
            "hub": [link for link in hub if link[2]],
            "home_region": scope.home,
        },
    )
