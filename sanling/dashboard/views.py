"""The dashboard: 达标率 cards, the map of child regions, the monthly trend and the rankings."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import Period, parse_assessable
from sanling.assessment.selectors import default_period
from sanling.fieldwork.selectors import lands_on_today
from sanling.regions.selectors import region_ancestors

from .selectors import (
    casework_rows,
    children_figures,
    dashboard_for,
    map_features,
    period_choices,
    warning_legend,
)


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for, or the landing period and why the one asked for was refused."""
    text = request.GET.get("period", "").strip()
    if not text:
        return default_period(), ""
    try:
        return parse_assessable(text, today=timezone.localdate()), ""
    except ValidationError as error:
        return default_period(), error.messages[0]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Where ``/`` and the login land: a grid worker's day ("today", issue 15), everyone else's dashboard
    (``?board`` opens a grid worker's dashboard too)."""
    scope = request_scope(request)
    if lands_on_today(scope) and "board" not in request.GET:
        return redirect("fieldwork:today")
    home_region = scope.home
    if home_region is None:
        raise Http404
    return redirect("dashboard:region", code=home_region.code)


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    scope = request_scope(request)
    node = get_object_for_user(request_scope(request).regions(), code=code)
    period, refused = _period(request)
    board = dashboard_for(scope=scope, region=node, period=period)
    crumbs = [ancestor for ancestor in region_ancestors(node) if scope.covers_region(ancestor)]
    landing = default_period()
    return render(
        request,
        "dashboard/region.html",
        {
            "board": board,
            "crumbs": crumbs,
            "periods": period_choices(period),
            "landing": landing,
            "landing_pinned": landing.year != timezone.localdate().year,
            "last_year": Period.of_year(landing.year - 1),
            "refused": refused,
            "legend": warning_legend(),
            "map": map_features(node, board.children),
            "trend": board.trend,
            "casework": casework_rows(board.casework) if board.casework else [],
        },
        status=400 if refused else 200,
    )


@login_required
def region_map(request: HttpRequest, code: str) -> JsonResponse:
    """The children's outlines and rates only: the cards, rankings and trend are not computed here."""
    scope = request_scope(request)
    node = get_object_for_user(request_scope(request).regions(), code=code)
    period, refused = _period(request)
    if refused:
        return JsonResponse({"detail": refused}, status=400)
    return JsonResponse(map_features(node, children_figures(scope=scope, region=node, period=period)))
