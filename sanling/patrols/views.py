"""Pages of patrols: the log list with its figures, the log form (one-handed at 375 px; a refused form keeps
what was typed), a log's page, and the teams with their shifts. Every page reads through the reader's scope."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope, get_object_for_user, request_scope
from sanling.assessment.periods import Period
from sanling.core.concurrency import StaleVersion

from .figures import patrol_figures, patrol_figures_by_area
from .forms import PatrolLogEditForm, PatrolLogForm, PatrolShiftForm, PatrolTeamForm
from .selectors import day_bounds, defence_labels, logs_for, teams_for
from .services import (
    patrol_log_create,
    patrol_log_update,
    patrol_shift_create,
    patrol_team_create,
    patrol_team_update,
)

AREA_LEVELS = ("village", "grid", "building")
TEAM_LEVELS = ("town", "village")


def writer_scope(request: HttpRequest) -> Scope:
    """The scope of a user who may record patrols and meetings: a writing role placed in a region (a
    department user's scope is its units, not places)."""
    scope = request_scope(request)
    if not scope.records_places:
        raise PermissionDenied
    return scope


def apply_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _period(request: HttpRequest) -> tuple[Period, str]:
    """The period asked for (?period=2026-11, 2026Q4 or 2026), else the current month; and any error."""
    today = timezone.localdate()
    text = request.GET.get("period", "").strip()
    if text:
        try:
            return Period.parse(text), ""
        except ValidationError as error:
            return Period.month(today.year, today.month), error.messages[0]
    return Period.month(today.year, today.month), ""


def _label(logs, labels: dict[str, str]) -> None:
    """Each log's 四防 type as its label (the list's own value when the code left the list)."""
    for log in logs:
        log.defence_label = labels.get(log.defence_type, log.defence_type)


def _labelled(logs) -> list:
    logs = list(logs)
    _label(logs, defence_labels())
    return logs


@login_required
def log_list(request: HttpRequest) -> HttpResponse:
    """The patrols of the reader's area in a period, newest first, with the period's figures (见警 and
    findings) for their area and each area under it."""
    scope = request_scope(request)
    period, period_error = _period(request)
    logs = logs_for(scope)
    start, end = day_bounds(period.start, period.end)
    logs = logs.filter(started_at__gte=start, started_at__lt=end)
    team = request.GET.get("team", "")
    if team.isdigit():
        logs = logs.filter(team_id=int(team))
    page = Paginator(logs, 50).get_page(request.GET.get("page"))
    _label(page, defence_labels())
    home = scope.home if scope.sees_business_data and (scope.region is not None or scope.everything) else None
    return render(
        request,
        "patrols/log_list.html",
        {
            "page": page,
            "period": period,
            "period_error": period_error,
            "teams": teams_for(scope).order_by("name"),
            "team": team,
            "figures": patrol_figures(region=home, period=period, scope=scope) if home else None,
            "areas": patrol_figures_by_area(region=home, period=period, scope=scope) if home else [],
        },
    )


def _area_regions(scope: Scope):
    return (
        scope.regions().filter(level__in=AREA_LEVELS) if scope.sees_business_data else scope.regions().none()
    )


@login_required
def log_create(request: HttpRequest) -> HttpResponse:
    """Record a patrol; a finding may open a hazard or a dispute. A refused form keeps what was typed."""
    scope = writer_scope(request)
    regions = _area_regions(scope)
    form = PatrolLogForm(
        request.POST or None, teams=teams_for(scope), regions=regions, subjects=scope.subjects()
    )
    if request.method == "POST" and form.is_valid():
        try:
            log = patrol_log_create(**form.arguments(), scope=scope)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Patrol %(ref)s is recorded.") % {"ref": log.ref})
            return redirect("patrols:log", ref=log.ref)
    return render(
        request,
        "patrols/log_form.html",
        {
            "form": form,
            "log": None,
            "areas": regions.order_by("code")[:200],
            "subjects": scope.subjects().order_by("code")[:30],
        },
    )


@login_required
def log_detail(request: HttpRequest, ref: str) -> HttpResponse:
    log = get_object_for_user(logs_for(request_scope(request)), ref=ref)
    _label([log], defence_labels())
    return render(request, "patrols/log_detail.html", {"log": log})


@login_required
def log_edit(request: HttpRequest, ref: str) -> HttpResponse:
    scope = request_scope(request)
    log = get_object_for_user(logs_for(scope), ref=ref)
    writer_scope(request)
    regions = _area_regions(scope)
    form = PatrolLogEditForm(request.POST or None, log=log, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            patrol_log_update(
                log=log, version=form.cleaned_data.get("version") or 0, scope=scope, **form.changes()
            )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Patrol %(ref)s is saved.") % {"ref": log.ref})
            return redirect("patrols:log", ref=log.ref)
    return render(
        request, "patrols/log_form.html", {"form": form, "log": log, "areas": regions.order_by("code")[:200]}
    )


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    teams = teams_for(request_scope(request)).prefetch_related("shifts")
    return render(request, "patrols/team_list.html", {"teams": teams})


@login_required
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    team = get_object_for_user(teams_for(scope), pk=pk)
    return render(
        request,
        "patrols/team_detail.html",
        {
            "team": team,
            "shifts": team.shifts.all(),
            "logs": _labelled(logs_for(scope).filter(team=team)[:20]),
            "shift_form": PatrolShiftForm(),
        },
    )


def _managed(scope: Scope, team) -> None:
    """A team is changed by writers of its own subtree; those below it only log its patrols."""
    if not scope.everything and (scope.region is None or not team.region.path.startswith(scope.region.path)):
        raise PermissionDenied


def _team_regions(scope: Scope):
    return scope.regions().filter(level__in=TEAM_LEVELS).order_by("code")[:200]


def _team_form(request: HttpRequest, scope: Scope, team=None) -> PatrolTeamForm:
    return PatrolTeamForm(
        request.POST or None,
        team=team,
        regions=scope.regions().filter(level__in=TEAM_LEVELS),
        organisations=scope.organisations().filter(active=True).order_by("region__path", "code"),
    )


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    scope = writer_scope(request)
    form = _team_form(request, scope)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("version", None)
        try:
            team = patrol_team_create(**data, scope=scope)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s is formed.") % {"name": team.name})
            return redirect("patrols:team", pk=team.pk)
    return render(
        request, "patrols/team_form.html", {"form": form, "team": None, "areas": _team_regions(scope)}
    )


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    team = get_object_for_user(teams_for(scope), pk=pk)
    writer_scope(request)
    _managed(scope, team)
    form = _team_form(request, scope, team=team)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version", None) or 0
        data.pop("region", None)
        try:
            patrol_team_update(team=team, version=version, scope=scope, **data)
        except StaleVersion as stale:
            form.add_error(None, str(stale))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Team %(name)s is saved.") % {"name": team.name})
            return redirect("patrols:team", pk=team.pk)
    return render(request, "patrols/team_form.html", {"form": form, "team": team, "areas": []})


@login_required
def shift_create(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    team = get_object_for_user(teams_for(scope), pk=pk)
    writer_scope(request)
    _managed(scope, team)
    form = PatrolShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            patrol_shift_create(team=team, **form.cleaned_data, scope=scope)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The shift is added."))
            return redirect("patrols:team", pk=team.pk)
    return render(
        request,
        "patrols/team_detail.html",
        {
            "team": team,
            "shifts": team.shifts.all(),
            "logs": _labelled(logs_for(scope).filter(team=team)[:20]),
            "shift_form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
