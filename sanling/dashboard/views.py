"""The dashboard: 达标率 cards, the map of child regions, the monthly trend and the rankings."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from sanling.accounts.scope import get_object_for_user, regions_for, request_scope
from sanling.assessment.periods import Period
from sanling.regions.selectors import region_ancestors

from .selectors import dashboard_for, default_period, map_features, period_choices


def _period(request: HttpRequest) -> Period:
    try:
        return Period.parse(request.GET["period"]) if request.GET.get("period") else default_period()
    except ValidationError:
        raise Http404 from None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    home_region = request_scope(request).home
    if home_region is None:
        raise Http404
    return redirect("dashboard:region", code=home_region.code)


@login_required
def region(request: HttpRequest, code: str) -> HttpResponse:
    scope = request_scope(request)
    node = get_object_for_user(regions_for(request.user), code=code)
    period = _period(request)
    board = dashboard_for(scope=scope, region=node, period=period)
    crumbs = [ancestor for ancestor in region_ancestors(node) if scope.covers_region(ancestor)]
    return render(
        request,
        "dashboard/region.html",
        {
            "board": board,
            "crumbs": crumbs,
            "periods": period_choices(period),
            "map": map_features(node, board.children),
            "trend": board.trend,
        },
    )


@login_required
def region_map(request: HttpRequest, code: str) -> JsonResponse:
    scope = request_scope(request)
    node = get_object_for_user(regions_for(request.user), code=code)
    board = dashboard_for(scope=scope, region=node, period=_period(request))
    return JsonResponse(map_features(node, board.children))
