"""Petition screens (信访): the filtered list and its ledger, registering a petition, a petition's page with a
form for each move its step allows, the 积案 ledger with its checklist, and 信访代理 with its step ladder.

Every page opens its records through the user's scope (an outsider gets 404), writes only through the
petition services (a viewer gets 403), and answers a refused move, a bad date or a stale page with the
Chinese message beside the form, keeping what was typed and changing nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import default_period, subject_status
from sanling.core.concurrency import StaleVersion
from sanling.core.ledger_jobs import ledger_job_view
from sanling.core.record_lists import PAGE_SIZE
from sanling.core.record_views import record_create
from sanling.personal.access import may_unmask
from sanling.personal.fields import masked, personal_columns
from sanling.personal.forms import UnmaskForm
from sanling.personal.services import personal_unmask
from sanling.subjects.models import Subject
from sanling.work.attachments import attachments_of
from sanling.work.selectors import timeline_of
from sanling.work.transitions import TransitionRefused

from . import services
from .exports import agency_columns, backlog_columns, ledger_response, petition_columns
from .filters import AgencyFilter, BacklogFilter, PetitionFilter
from .forms import (
    AgencyAdvanceForm,
    AgencyForm,
    BacklogCheckForm,
    BacklogFlagForm,
    PetitionForm,
    action_form,
)
from .models import AGENCY_ORDER, AgencyCase, Backlog, Petition
from .selectors import (
    ACTIONS,
    AGENCY_LADDER,
    allowed_actions,
    checklist_labels,
    checklist_of,
    is_overdue,
    ledger_agency,
    ledger_backlog,
    ledger_petitions,
    scoped_petitions,
    scoped_work_items,
)

PETITIONER = ["petitioner_name", "petitioner_id_number", "petitioner_phone"]
ACTION_TITLES = {
    "accept": gettext_lazy("Accept and notify (受理告知)"),
    "extend": gettext_lazy("Extend (延期)"),
    "reply": gettext_lazy("Reply (答复)"),
    "review": gettext_lazy("Review (复查/复核)"),
    "conclude": gettext_lazy("Conclude (终结)"),
    "escalate": gettext_lazy("Escalate (上交/越级)"),
}


def _require_writer(request: HttpRequest) -> None:
    if not request_scope(request).can_write:
        raise PermissionDenied


def _next_or(request: HttpRequest, fallback: str) -> HttpResponse:
    """Back to the page the form was on, if it is one of ours (no open redirect)."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _apply_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _refused(form, error: Exception) -> int:
    """Put the Chinese reason a service gave on ``form``; the status the page answers with."""
    if isinstance(error, ValidationError):
        _apply_errors(form, error)
        return 400
    form.add_error(None, error.message if isinstance(error, TransitionRefused) else str(error))
    return 409


# The petition list and its ledger


def _petition_rows(request: HttpRequest):
    return ledger_petitions(request_scope(request))


def _list(request: HttpRequest, *, rows, filterset_class, template: str, quick_filters, extra=None):
    """A filtered, paginated list (as ``core.record_lists.record_list``) with what these pages add: today
    (overdue in red) and whether the user may export the identities in clear."""
    filterset = filterset_class(request.GET or None, queryset=rows, request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    page = Paginator(filterset.qs if valid else rows.none(), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "query_items": [(key, value) for key in query for value in query.getlist(key) if key != "reason"],
        "quick_filters": quick_filters,
        "today": timezone.localdate(),
        "may_unmask": may_unmask(request_scope(request)),
        **(extra or {}),
    }
    return render(request, template, context, status=200 if valid else 400)


@login_required
def petition_list(request: HttpRequest) -> HttpResponse:
    """Every petition in the user's area, filtered; overdue ones, those awaiting acceptance and 积案 are one
    click."""
    return _list(
        request,
        rows=_petition_rows(request).defer(
            *personal_columns(Petition), *personal_columns(Subject, "subject__")
        ),  # no identity on the list: nothing to decrypt
        filterset_class=PetitionFilter,
        template="petitions/petition_list.html",
        quick_filters=[
            (_("Overdue"), "overdue=yes"),
            (_("Awaiting acceptance"), "step=received"),
            (_("Backlog cases"), "backlog=yes"),
        ],
    )


@login_required
def petition_export(request: HttpRequest) -> HttpResponse:
    """信访台账: exactly the list's rows for the same filters."""
    rows = _petition_rows(request).defer(*personal_columns(Subject, "subject__"))
    return ledger_response(
        request,
        filterset=PetitionFilter(request.GET or None, queryset=rows, request=request),
        sheet="信访台账",
        columns=petition_columns,
        filename="petitions",
        personal_model="petition",
    )


# Each ledger as a background job too (petitions.jobs), for a list too long to wait for; always masked.
petition_export_job = ledger_job_view("petitions", "petitions:list")


def _petition_page(petition) -> str:
    return reverse("petitions:detail", kwargs={"ref": petition.ref})


@login_required
def petition_new(request: HttpRequest) -> HttpResponse:
    """登记 a petition; a county matter records its petition event in the same transaction."""
    return record_create(
        request,
        form_class=PetitionForm,
        create=lambda **fields: services.petition_create(**fields),
        template="petitions/petition_form.html",
        date_field="received_on",
        noun=gettext_lazy("Petition"),
        done=_petition_page,
    )


def _petition(request: HttpRequest, ref: str):
    return get_object_for_user(_petition_rows(request).select_related("rule_set", "case__handler"), ref=ref)


def _backlog_context(request: HttpRequest, item, flag_form=None) -> dict:
    entry = Backlog.objects.filter(item=item).select_related("responsible_organisation").first()
    scope = request_scope(request)
    can_flag = scope.can_write and entry is None and item.closed_on is None
    return {
        "backlog": entry,
        "checklist": checklist_of(entry) if entry else [],
        "flag_form": (flag_form or BacklogFlagForm(item=item)) if can_flag else None,
    }


def _statuses(subject, day) -> list:
    """The subject's 达标 status in the year the case happened and, if later, in the current year."""
    periods = [Period.of_year(day.year)]
    if default_period().year != day.year:
        periods.append(default_period())
    return [subject_status(subject=subject, period=period) for period in periods]


def _detail(
    request: HttpRequest,
    petition,
    *,
    failed: tuple[str, object] | None = None,
    unmask_form=None,
    clear: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    """The petition's page. ``failed`` is (action, bound form) of a move that was refused, shown with its
    message and the input kept; ``clear`` holds the petitioner as just unmasked (with a reason, audited)."""
    scope = request_scope(request)
    forms = []
    if scope.can_write:
        for action in allowed_actions(petition):
            form = failed[1] if failed and failed[0] == action else action_form(action, petition)
            forms.append({"action": action, "title": ACTION_TITLES[action], "form": form})
    if failed and failed[0] not in allowed_actions(petition):  # a move this step does not offer: say why
        forms.insert(0, {"action": failed[0], "title": ACTION_TITLES[failed[0]], "form": failed[1]})
    person = clear or {name: masked(petition, name) for name in PETITIONER}
    today = timezone.localdate()
    context = {
        "petition": petition,
        "case": petition.case,
        "entries": timeline_of(petition.case),
        "attachments": attachments_of(petition.case),
        "person": person,
        "unmasked": clear is not None,
        "may_unmask": may_unmask(scope) and any(getattr(petition, name) for name in PETITIONER),
        "unmask_form": unmask_form or UnmaskForm(),
        "overdue": is_overdue(petition.case, today),
        "accept_late": petition.accepted_on is None
        and petition.accept_due_on
        and petition.accept_due_on < today,
        "result_late": (
            petition.step == "handling" and petition.result_due_on and petition.result_due_on < today
        ),
        "statuses": _statuses(
            petition.subject, petition.event.occurred_on if petition.event else petition.received_on
        ),
        "action_forms": forms,
        "today": today,
        **_backlog_context(request, petition.case),
    }
    response = render(request, "petitions/petition_detail.html", context, status=status)
    add_never_cache_headers(response)  # personal data, masked or not, stays out of caches
    return response


@login_required
def petition_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _detail(request, _petition(request, ref))


@login_required
def petition_unmask(request: HttpRequest, ref: str) -> HttpResponse:
    """The petition page with the petitioner in clear, for a user who may unmask and says why (audited by
    ``personal_unmask``). Answered in place, never redirected: the clear values are in no URL."""
    petition = _petition(request, ref)
    if request.method != "POST":
        return redirect(_petition_page(petition))
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return _detail(request, petition, unmask_form=form, status=400)
    try:
        clear = personal_unmask(
            user=request.user, instance=petition, fields=PETITIONER, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:  # a role that may not unmask gets 403 (PermissionDenied) as it is
        form.add_error("reason", error.message_dict.get("reason", error.messages))
        return _detail(request, petition, unmask_form=form, status=400)
    return _detail(request, petition, clear=clear)


@login_required
def petition_act(request: HttpRequest, ref: str, action: str) -> HttpResponse:
    """One move (受理告知, 延期, 答复, 复查/复核, 终结, 上交/越级) through its service. A move the step does not
    allow, a bad date or a page someone else has moved on meanwhile changes nothing and says why."""
    petition = _petition(request, ref)
    if action not in ACTIONS:
        raise Http404
    if request.method != "POST":
        return redirect(_petition_page(petition))
    _require_writer(request)
    form = action_form(action, petition, request.POST)
    if not form.is_valid():
        return _detail(request, petition, failed=(action, form), status=400)
    service = getattr(services, f"petition_{action}")
    try:
        service(petition=petition, version=form.cleaned_data.get("version"), **form.arguments())
    except (TransitionRefused, ValidationError, StaleVersion) as error:
        status = _refused(form, error)
        return _detail(request, _petition(request, ref), failed=(action, form), status=status)
    messages.success(
        request, _("%(ref)s: %(action)s recorded.") % {"ref": ref, "action": ACTION_TITLES[action]}
    )
    return redirect(_petition_page(petition))


# 积案


def _work_item(request: HttpRequest, ref: str):
    return get_object_for_user(
        scoped_work_items(request_scope(request)).select_related("subject__region", "organisation"), ref=ref
    )


def _item_page(item) -> str:
    if item.kind == "petition":
        return reverse("petitions:detail", kwargs={"ref": item.ref})
    if item.kind == "agency":
        return reverse("petitions:agency_detail", kwargs={"ref": item.ref})
    return reverse("petitions:backlog")


@login_required
def backlog_flag(request: HttpRequest, ref: str) -> HttpResponse:
    """列入积案: any open case in scope (petition, dispute or agency case) goes on the ledger with its
    责任单位、责任人、包案领导 and 化解时限."""
    item = _work_item(request, ref)
    _require_writer(request)
    form = BacklogFlagForm(request.POST or None, item=item)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.backlog_flag(item=item, **form.cleaned_data)
            except (TransitionRefused, ValidationError) as error:
                status = _refused(form, error)
            else:
                messages.success(request, _("%(ref)s is on the backlog ledger.") % {"ref": item.ref})
                return _next_or(request, _item_page(item))
    return render(request, "petitions/backlog_flag.html", {"item": item, "form": form}, status=status)


def _backlog_rows(request: HttpRequest):
    return ledger_backlog(request_scope(request))


@login_required
def backlog_list(request: HttpRequest) -> HttpResponse:
    """积案台账: each case with 责任单位、责任人、包案领导、化解时限 and its checklist (四定四包), overdue in red."""
    filterset = BacklogFilter(request.GET or None, queryset=_backlog_rows(request), request=request)
    valid = not filterset.is_bound or filterset.is_valid()
    page = Paginator(filterset.qs if valid else Backlog.objects.none(), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = checklist_labels()
    today = timezone.localdate()
    rows = [
        {
            "entry": entry,
            "checklist": checklist_of(entry, labels),
            "late": entry.item.closed_on is None and entry.deadline < today,
        }
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "petitions/backlog_list.html",
        {"filter": filterset, "page": page, "rows": rows, "query": query.urlencode(), "today": today},
        status=200 if valid else 400,
    )


@login_required
def backlog_export(request: HttpRequest) -> HttpResponse:
    """积案台账 as Excel: exactly the ledger's rows for the same filters."""
    return ledger_response(
        request,
        filterset=BacklogFilter(request.GET or None, queryset=_backlog_rows(request), request=request),
        sheet="积案台账",
        columns=lambda full: backlog_columns(),
        filename="backlog",
    )


backlog_export_job = ledger_job_view("backlog", "petitions:backlog")


@login_required
def backlog_tick(request: HttpRequest, ref: str) -> HttpResponse:
    """Tick (or untick) one item of a 积案's checklist."""
    entry = get_object_for_user(_backlog_rows(request), item__ref=ref)
    if request.method != "POST":
        return redirect(reverse("petitions:backlog"))
    _require_writer(request)
    form = BacklogCheckForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.backlog_check(
                backlog=entry,
                code=data["code"],
                done_on=data["on"] if data["done"] else None,
                version=data.get("version"),
            )
        except (ValidationError, StaleVersion) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("%(ref)s: checklist updated.") % {"ref": ref})
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return _next_or(request, reverse("petitions:backlog"))


# 信访代理


def _agency_rows(request: HttpRequest):
    return ledger_agency(request_scope(request))


@login_required
def agency_list(request: HttpRequest) -> HttpResponse:
    """信访代理: every agency case in the user's area, filtered."""
    return _list(
        request,
        rows=_agency_rows(request).defer(
            *personal_columns(AgencyCase), *personal_columns(Subject, "subject__")
        ),
        filterset_class=AgencyFilter,
        template="petitions/agency_list.html",
        quick_filters=[(_("Being handled"), "step=handling")],
    )


@login_required
def agency_export(request: HttpRequest) -> HttpResponse:
    """信访代理台账: exactly the list's rows for the same filters."""
    rows = _agency_rows(request).defer(*personal_columns(Subject, "subject__"))
    return ledger_response(
        request,
        filterset=AgencyFilter(request.GET or None, queryset=rows, request=request),
        sheet="信访代理台账",
        columns=agency_columns,
        filename="agency",
        personal_model="agencycase",
    )


agency_export_job = ledger_job_view("agency", "petitions:agency")


@login_required
def agency_new(request: HttpRequest) -> HttpResponse:
    """申请: a petitioner asks for an agent (信访代理)."""
    scope = request_scope(request)
    return record_create(
        request,
        form_class=AgencyForm,
        create=lambda **fields: services.agency_create(**fields),
        template="petitions/agency_form.html",
        date_field="applied_on",
        noun=gettext_lazy("Agency case"),
        form_kwargs={"subjects": scope.subjects(), "petitions": scoped_petitions(scope)},
        done=lambda agency: reverse("petitions:agency_detail", kwargs={"ref": agency.ref}),
    )


def _agency(request: HttpRequest, ref: str):
    return get_object_for_user(_agency_rows(request).select_related("petition__event"), ref=ref)


def _agency_detail(
    request: HttpRequest, agency, *, form=None, status: int = 200, unmask_form=None, clear=None
) -> HttpResponse:
    index = AGENCY_ORDER.index(agency.step)
    next_step = AGENCY_ORDER[index + 1] if index + 1 < len(AGENCY_ORDER) else None
    ladder = [
        {
            "step": step,
            "label": label,
            "state": "done" if i < index else "current" if i == index else "todo",
        }
        for i, (step, label) in enumerate(AGENCY_LADDER)
    ]
    if form is None and next_step and request_scope(request).can_write:
        form = AgencyAdvanceForm(next_step=next_step, initial={"version": agency.version})
    response = render(
        request,
        "petitions/agency_detail.html",
        {
            "agency": agency,
            "case": agency.case,
            "entries": timeline_of(agency.case),
            "attachments": attachments_of(agency.case),
            "ladder": ladder,
            "next_step": dict(AGENCY_LADDER)[next_step] if next_step else "",
            "form": form,
            "applicant": (clear or {}).get("applicant_name") or masked(agency, "applicant_name"),
            "unmasked": bool(clear),
            "may_unmask": may_unmask(request_scope(request)) and bool(agency.applicant_name),
            "unmask_form": unmask_form,
            "overdue": is_overdue(agency.case),
            "today": timezone.localdate(),
            **_backlog_context(request, agency.case),
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


@login_required
def agency_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _agency_detail(request, _agency(request, ref))


@login_required
def agency_unmask(request: HttpRequest, ref: str) -> HttpResponse:
    """The agency page with the applicant in clear, for a user who may unmask and says why (audited by
    ``personal_unmask``). Answered in place: the clear value is in no URL."""
    agency = _agency(request, ref)
    if request.method != "POST":
        return redirect(reverse("petitions:agency_detail", kwargs={"ref": ref}))
    form = UnmaskForm(request.POST)
    if not form.is_valid():
        return _agency_detail(request, agency, unmask_form=form, status=400)
    try:
        clear = personal_unmask(
            user=request.user, instance=agency, fields=["applicant_name"], reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:  # a role that may not unmask gets 403 (PermissionDenied) as it is
        form.add_error("reason", error.message_dict.get("reason", error.messages))
        return _agency_detail(request, agency, unmask_form=form, status=400)
    return _agency_detail(request, agency, clear=clear)


@login_required
def agency_advance(request: HttpRequest, ref: str) -> HttpResponse:
    """The next step of 申请 → 确定代理人 → 登记备案 → 代理事项办理 → 结果反馈 → 事项终结."""
    agency = _agency(request, ref)
    if request.method != "POST":
        return redirect(reverse("petitions:agency_detail", kwargs={"ref": ref}))
    _require_writer(request)
    index = AGENCY_ORDER.index(agency.step)
    next_step = AGENCY_ORDER[min(index + 1, len(AGENCY_ORDER) - 1)]
    form = AgencyAdvanceForm(request.POST, next_step=next_step)
    if not form.is_valid():
        return _agency_detail(request, agency, form=form, status=400)
    try:
        services.agency_advance(agency=agency, version=form.cleaned_data.get("version"), **form.arguments())
    except (TransitionRefused, ValidationError, StaleVersion) as error:
        status = _refused(form, error)
        return _agency_detail(request, _agency(request, ref), form=form, status=status)
    messages.success(request, _("%(ref)s: step recorded.") % {"ref": ref})
    return redirect(reverse("petitions:agency_detail", kwargs={"ref": ref}))
