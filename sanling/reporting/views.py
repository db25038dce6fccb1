"""Pages of 盯报表: who has not reported in a period (towns, villages, departments, with what they missed), and
the county's reporting duties, which its administrator edits."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import Period
from sanling.regions.models import Region

from .forms import DutyForm, UnreportedForm
from .models import ReportingDuty
from .selectors import duties_for, unreported
from .services import duties_install_defaults, duty_create, duty_delete


def last_full_month(today: datetime.date) -> Period:
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return Period.month(first.year, first.month)


def _county_of(scope) -> Region | None:
    """The county whose duties the user edits: their own region when it is a county."""
    region = scope.region
    return region if region is not None and region.level == "county" else None


def _page(request: HttpRequest, *, duty_form=None, status: int = 200) -> HttpResponse:
    scope = request_scope(request)
    form = UnreportedForm(request.GET or None)
    region = scope.home
    period = last_full_month(timezone.localdate())
    rows = []
    valid = True
    if form.is_bound:
        valid = form.is_valid()
        if valid:
            code = form.cleaned_data["region"].strip()
            if code:
                region = scope.regions().filter(code=code).first()
                if region is None:
                    form.add_error("region", _("No such code in your area: “%(value)s”.") % {"value": code})
                    valid = False
            period = form.cleaned_data["period"] or period
    if valid and region is not None:
        rows = unreported(region=region, period=period, scope=scope)
    county = _county_of(scope)
    may_edit = scope.can_set_rules and county is not None
    return render(
        request,
        "reporting/unreported.html",
        {
            "form": form,
            "region": region,
            "period": period,
            "rows": rows,
            "duties": list(duties_for(region)) if region is not None else [],
            "may_edit": may_edit,
            "duty_form": duty_form or (DutyForm() if may_edit else None),
        },
        status=status if valid else 400,
    )


@login_required
def unreported_list(request: HttpRequest) -> HttpResponse:
    if not request_scope(request).sees_business_data:
        raise PermissionDenied
    return _page(request)


@login_required
def duty_add(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    county = _county_of(scope)
    if not scope.can_set_rules or county is None:
        raise PermissionDenied
    if request.method != "POST":
        return redirect("reporting:list")
    form = DutyForm(request.POST)
    if form.is_valid():
        try:
            duty_create(county=county, scope=scope, **form.cleaned_data)
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, _("The reporting duty is added."))
            return redirect("reporting:list")
    return _page(request, duty_form=form, status=400)


@login_required
def duty_defaults(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    county = _county_of(scope)
    if not scope.can_set_rules or county is None:
        raise PermissionDenied
    if request.method != "POST":
        return redirect("reporting:list")
    added = duties_install_defaults(county=county, scope=scope)
    messages.success(request, _("%(count)s default duties are added.") % {"count": len(added)})
    return redirect("reporting:list")


@login_required
def duty_remove(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    county = _county_of(scope)
    if not scope.can_set_rules or county is None:
        raise PermissionDenied
    if request.method != "POST":
        return redirect("reporting:list")
    duty = get_object_for_user(ReportingDuty.objects.filter(county=county), pk=pk)
    duty_delete(duty=duty, scope=scope)
    messages.success(request, _("The reporting duty is removed."))
    return redirect("reporting:list")
