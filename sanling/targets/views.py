"""Pages of targets: those in force in the reader's area for a year, where each is set, and (for the county
administrator) the form that sets one and the buttons that clear one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope, get_object_for_user, request_scope
from sanling.core.concurrency import StaleVersion
from sanling.patrols.views import apply_errors
from sanling.regions.models import Region, subtree_q

from .forms import TargetForm
from .selectors import targets_for, targets_in_force
from .services import target_clear, target_set, target_years


def _roots(scope: Scope):
    """The regions a reader may list the targets of: their subtree; a department user, its county only."""
    if scope.everything:
        return Region.objects.all()
    if not scope.sees_business_data:
        return Region.objects.none()
    if scope.region is not None:
        return Region.objects.filter(subtree_q(scope.region.path))
    home = scope.home
    return Region.objects.filter(pk=home.pk) if home is not None else Region.objects.none()


def _year(request: HttpRequest) -> tuple[int, str]:
    this_year = timezone.localdate().year
    text = request.GET.get("year", "").strip()
    if not text:
        return this_year, ""
    if text.isdigit() and int(text) in target_years():
        return int(text), ""
    return this_year, _("No targets can be set for “%(year)s”; showing %(this)s.") % {
        "year": text[:10],
        "this": this_year,
    }


@login_required
def target_list(request: HttpRequest) -> HttpResponse:
    """The targets in force in a region (the reader's own by default), its children and every region below
    that sets its own, for a year; the set form for the county administrator (a refused one keeps what was
    typed and answers 400)."""
    scope = request_scope(request)
    year, year_error = _year(request)
    roots = _roots(scope)
    code = request.GET.get("region", "").strip()
    if code:
        root = roots.filter(code=code).first()
        if root is None:
            raise Http404
    else:
        root = scope.home if scope.home is not None and roots.filter(pk=scope.home.pk).exists() else None
    form = None
    status = 200
    if scope.can_set_rules:
        regions = scope.regions() if scope.everything else roots
        initial = {"year": year, "region": root}
        edit = request.GET.get("edit", "").strip()
        if edit.isdigit() and (editing := targets_for(scope).filter(pk=int(edit)).first()) is not None:
            initial = {
                "year": editing.year,
                "region": editing.region,
                "indicator": editing.indicator,
                "group": editing.group,
                "value": editing.value,
                "note": editing.note,
                "version": editing.version,
            }
        form = TargetForm(request.POST or None, regions=regions, initial=initial)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    target = target_set(
                        year=data["year"],
                        region=data["region"],
                        group=data["group"],
                        indicator=data["indicator"],
                        value=data["value"],
                        note=data["note"],
                        version=data["version"],
                        scope=scope,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                except StaleVersion as stale:
                    form.add_error(None, str(stale))
                else:
                    messages.success(
                        request,
                        _("The target of %(region)s for %(year)s is set.")
                        % {"region": target.region.name, "year": target.year},
                    )
                    return redirect(f"{request.path}?year={target.year}&region={target.region.code}")
            status = 400
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "targets/target_list.html",
        {
            "year": year,
            "year_error": year_error,
            "years": target_years(),
            "root": root,
            # A department user reads its county's targets, not the towns' own.
            "rows": targets_in_force(root=root, year=year, below=scope.everything or scope.region is not None)
            if root is not None
            else [],
            "form": form,
            "areas": (roots.order_by("path")[:300] if form is not None else []),
        },
        status=status,
    )


@login_required
def target_clear_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Clear a target (a POST naming its version); the region then inherits from above again."""
    scope = request_scope(request)
    target = get_object_for_user(targets_for(scope).select_related("region"), pk=pk)
    if not scope.can_set_rules:
        raise PermissionDenied
    back = redirect(f"{reverse('targets:list')}?year={target.year}&region={target.region.code}")
    if request.method != "POST":
        return back
    version = request.POST.get("version", "")
    try:
        target_clear(target=target, version=int(version) if version.isdigit() else None, scope=scope)
    except (ValidationError, StaleVersion) as error:
        messages.error(
            request, " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        )
    else:
        messages.success(request, _("The target is cleared; the region follows the one set above it again."))
    return back
