"""Pages of visits (mounted at /visits/): the list with its totals and per-region breakdown, recording a
visit (phone first), editing it, opening a dispute from a finding, the household counts, the 走访台账."""

import io
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope, get_object_for_user, request_scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import rate_percent
from sanling.core.concurrency import StaleVersion
from sanling.core.ledger_jobs import ledger_job_view
from sanling.core.record_lists import XLSX
from sanling.core.record_views import UNKNOWN_VERSION

from .figures import household_visit_breakdown, households_in
from .filters import VisitFilter
from .forms import HouseholdCountForm, VisitDisputeForm, VisitForm
from .selectors import household_count_rows, household_counts_for, theme_labels, visits_for
from .services import (
    household_count_create,
    household_count_update,
    household_visit_create,
    household_visit_delete,
    household_visit_open_dispute,
    household_visit_update,
)
from .sheets import visits_ledger

PAGE_SIZE = 50


def _writer(request: HttpRequest) -> Scope:
    scope = request_scope(request)
    if not scope.records_places:
        raise PermissionDenied
    return scope


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    """The visits of the user's area, filtered by period, region and theme; the totals (户数, 人次, 覆盖率)
    of exactly those rows at the top, and the same figures for each region one level down."""
    scope = request_scope(request)
    filterset = VisitFilter(request.GET or None, queryset=visits_for(scope), request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else visits_for(scope).none()
    totals = rows.aggregate(
        visits=Count("pk"), households=Count("household_key", distinct=True), persons=Sum("persons_met")
    )
    today = timezone.localdate()
    cleaned = filterset.form.cleaned_data if valid and filterset.is_bound else {}
    period = cleaned.get("period") or Period.of_year(today.year)
    region = cleaned.get("region") or scope.region or scope.home
    households = households_in(region, min(period.end, today), scope) if region else 0
    breakdown = (
        household_visit_breakdown(
            region=region, period=period, scope=scope, today=today, theme=cleaned.get("theme") or ""
        )
        if region is not None and scope.sees_business_data
        else []
    )
    page = Paginator(rows.order_by("-visited_on", "-pk"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    drill = {key: value for key, value in query.items() if key not in ("region", "period")}
    return render(
        request,
        "visits/visit_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "totals": totals,
            "households": households,
            "coverage": rate_percent(totals["households"], households) if region else None,
            "region": region,
            "period": period,
            "period_given": bool(cleaned.get("period")),
            "breakdown": [
                (row, urlencode({**drill, "region": row.region_code, "period": period.key}))
                for row in breakdown
            ],
            "themes": theme_labels(),
        },
        status=200 if valid else 400,
    )


@login_required
def visit_create(request: HttpRequest) -> HttpResponse:
    """Record a visit, one hand at 375 px. Saved, the form opens again with the same place and theme, so
    the next household is one tap and a number away."""
    scope = _writer(request)
    initial = {key: request.GET[key] for key in ("region", "theme") if request.GET.get(key)}
    form = VisitForm(request.POST or None, initial=initial, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            visit = household_visit_create(scope=scope, visitor=request.user, **form.changes())
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Visit %(ref)s is recorded.") % {"ref": visit.ref})
            return redirect(
                f"{request.path}?{urlencode({'region': visit.region.code, 'theme': visit.theme})}"
            )
    return render(
        request, "visits/visit_form.html", {"form": form, "record": None}, status=400 if form.errors else 200
    )


@login_required
def visit_edit(request: HttpRequest, ref: str) -> HttpResponse:
    scope = _writer(request)
    visit = get_object_for_user(visits_for(scope), ref=ref)
    form = VisitForm(request.POST or None, instance=visit, scope=scope)
    status = 200
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data["version"] or UNKNOWN_VERSION
        fresh = get_object_for_user(visits_for(scope), ref=ref)
        try:
            household_visit_update(scope=scope, visit=fresh, version=version, **form.changes())
        except StaleVersion as stale:
            form.add_error(None, str(stale))
            status = 409
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Visit %(ref)s is saved.") % {"ref": visit.ref})
            return redirect("visits:list")
    dispute_form = VisitDisputeForm(subjects=scope.subjects(), initial={"summary": visit.findings[:200]})
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "record": visit, "dispute_form": dispute_form},
        status=400 if status == 200 and form.errors else status,
    )


@login_required
def visit_delete(request: HttpRequest, ref: str) -> HttpResponse:
    scope = _writer(request)
    visit = get_object_for_user(visits_for(scope), ref=ref)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    version = request.POST.get("version", "")
    try:
        household_visit_delete(
            scope=scope, visit=visit, version=int(version) if version.isdigit() else UNKNOWN_VERSION
        )
    except StaleVersion as stale:
        messages.error(request, str(stale))
        return redirect("visits:edit", ref=ref)
    messages.success(request, _("Visit %(ref)s is deleted.") % {"ref": visit.ref})
    return redirect("visits:list")


@login_required
def visit_dispute(request: HttpRequest, ref: str) -> HttpResponse:
    """Open a dispute (矛盾纠纷) from the visit's finding; its case page opens."""
    scope = _writer(request)
    visit = get_object_for_user(visits_for(scope), ref=ref)
    if request.method != "POST":
        return redirect("visits:edit", ref=ref)
    dispute_form = VisitDisputeForm(request.POST, subjects=scope.subjects())
    if dispute_form.is_valid():
        try:
            dispute = household_visit_open_dispute(
                scope=scope,
                visit=visit,
                subject=dispute_form.cleaned_data["subject_code"],
                summary=dispute_form.cleaned_data["summary"],
            )
        except ValidationError as error:
            _apply_errors(dispute_form, error)
        else:
            messages.success(request, _("Dispute %(ref)s is registered.") % {"ref": dispute.ref})
            return redirect("disputes:case", ref=dispute.ref)
    form = VisitForm(instance=visit, scope=scope)
    return render(
        request,
        "visits/visit_form.html",
        {"form": form, "record": visit, "dispute_form": dispute_form},
        status=400,
    )


@login_required
def household_counts(request: HttpRequest) -> HttpResponse:
    """Households per region for a town or village operator: the latest count of the region and of each
    region one level down, and a form to enter a count (one per region and day)."""
    scope = request_scope(request)
    regions = scope.regions().order_by("path") if scope.sees_business_data else scope.regions().none()
    chosen = request.GET.get("region", "")
    region = regions.filter(code=chosen).first() if chosen else (scope.region or scope.home)
    if chosen and region is None:
        return render(request, "visits/household_counts.html", {"missing": chosen, "rows": []}, status=404)
    form = None
    if scope.can_write and scope.sees_business_data and (scope.everything or scope.region is not None):
        form = HouseholdCountForm(
            request.POST or None, regions=regions, initial={"region": region.code if region else ""}
        )
        if request.method == "POST" and form.is_valid():
            try:
                count = household_count_create(scope=scope, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request, _("The household count of %(region)s is saved.") % {"region": count.region.name}
                )
                return redirect(f"{request.path}?region={region.code if region else count.region.code}")
    elif request.method == "POST":
        raise PermissionDenied
    rows = household_count_rows(region, timezone.localdate(), scope, regions) if region is not None else []
    return render(
        request,
        "visits/household_counts.html",
        {"region": region, "rows": rows, "form": form},
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def household_count_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _writer(request)
    count = get_object_for_user(household_counts_for(scope), pk=pk)
    # The region and day stay: disabled fields take their initial value, which must be the region's *code*
    # (the field looks regions up by code), not the pk a ModelForm's instance gives.
    form = HouseholdCountForm(
        request.POST or None,
        instance=count,
        regions=scope.regions().filter(pk=count.region_id),
        initial={"region": count.region.code},
    )
    form.fields["region"].disabled = True
    form.fields["as_of"].disabled = True
    status = 200
    if request.method == "POST" and form.is_valid():
        version = request.POST.get("version", "")
        try:
            household_count_update(
                scope=scope,
                count=count,
                version=int(version) if version.isdigit() else UNKNOWN_VERSION,
                households=form.cleaned_data["households"],
                residents=form.cleaned_data["residents"],
                note=form.cleaned_data["note"],
            )
        except StaleVersion as stale:
            form.add_error(None, str(stale))
            status = 409
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("The household count of %(region)s is saved.") % {"region": count.region.name}
            )
            back = (
                count.region.parent
                if count.region.parent_id and scope.covers_region(count.region.parent)
                else count.region
            )
            return redirect(f"{reverse('visits:households')}?region={back.code}")
    return render(
        request,
        "visits/household_count_form.html",
        {"form": form, "record": count},
        status=400 if status == 200 and form.errors else status,
    )


@login_required
def visit_export(request: HttpRequest) -> HttpResponse:
    """The 走访台账: exactly the rows of the filtered list (every page), watermarked and audited."""
    buffer = io.BytesIO()
    try:
        visits_ledger(
            scope=request_scope(request),
            params={"query": request.GET.urlencode()},
            path=buffer,
            progress=None,
        )
    except ValidationError as error:
        return HttpResponse(
            _("Nothing was exported: %(problems)s") % {"problems": "；".join(error.messages)},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="visits-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


# The same ledger as a background job, for a list too long to wait for.
visit_export_job = ledger_job_view("visits", "visits:list")
