"""Pages of 交办: the ledger (filtered, exported to Excel), giving an assignment by hand or from a warning
list, and an assignment's page with its timeline, evidence, and the moves 反馈 → 办结 or 退回.

Views are thin: each move posts to a view that calls its service. A refused move, a bad value or a stale page
shows the Chinese message, keeps what was typed and changes nothing."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.audit.services import audit_export
from sanling.core.concurrency import StaleVersion
from sanling.core.record_lists import PAGE_SIZE, XLSX
from sanling.core.workbooks import export_mark, mark_workbook, text_row
from sanling.work.attachments import blob_path
from sanling.work.transitions import TransitionRefused

from .filters import OPEN, AssignmentFilter
from .forms import AcceptForm, AssignmentForm, FeedbackForm, FromWarningsForm, ReturnForm
from .ledger import LEDGER_COLUMNS
from .models import Assignment, AssignmentStatus, Evidence
from .selectors import assignments_for
from .services import (
    WarningPick,
    assignment_accept,
    assignment_create,
    assignment_feedback,
    assignment_return,
    assignments_from_warnings,
    is_giver,
    is_receiver,
)

ACTION_LABELS = {
    "give": gettext_lazy("Assignment given"),
    "feedback": gettext_lazy("Fed back"),
    "accept": gettext_lazy("Accepted and concluded"),
    "return": gettext_lazy("Returned"),
}


def _rows(request: HttpRequest):
    return assignments_for(request_scope(request)).select_related(
        "organisation", "owner", "giver_region", "giver_organisation", "region"
    )


def _filtered(request: HttpRequest) -> AssignmentFilter:
    return AssignmentFilter(request.GET or None, queryset=_rows(request), request=request)


@login_required
def assignment_list(request: HttpRequest) -> HttpResponse:
    """The 交办台账 of the user's area: given by their county or town, or received by their organisations."""
    filterset = _filtered(request)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else Assignment.objects.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    scope = request_scope(request)
    return render(
        request,
        "assignments/assignment_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "may_give": scope.everything or (scope.can_supervise and scope.region is not None),
            "quick_filters": [
                (_("Not yet concluded"), f"status={OPEN}"),
                (_("Overdue"), "overdue=true"),
                (_("Fed back, to accept"), f"status={AssignmentStatus.FED_BACK}"),
            ],
        },
        status=200 if valid else 400,
    )


@login_required
def assignment_export(request: HttpRequest) -> HttpResponse:
    """The 交办台账 as Excel: exactly the rows of the filtered list (audited, watermarked, neutralised)."""
    filterset = _filtered(request)
    if filterset.is_bound and not filterset.is_valid():
        problems = "；".join(
            f"{filterset.form.fields[name].label}：{' '.join(errors)}"
            for name, errors in filterset.errors.items()
        )
        return HttpResponse(
            _("Nothing was exported: %(problems)s") % {"problems": problems},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("交办台账")
    sheet.append(text_row(sheet, [column.header for column in LEDGER_COLUMNS]))
    count = 0
    for assignment in filterset.qs.prefetch_related("subjects"):
        sheet.append(text_row(sheet, [column.value(assignment) for column in LEDGER_COLUMNS]))
        count += 1
    scope = request_scope(request)
    mark = export_mark(scope=scope, what=f"交办台账（{count} 行）")
    mark_workbook(workbook, mark)
    audit_export(
        what="assignments",
        region_path=scope.region.path if scope.region else "",
        rows={"assignments": count},
        file_format="xlsx",
        filters=request.GET.urlencode(),
        mark=mark.as_dict(),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="assignments-{timezone.localdate():%Y%m%d}.xlsx"'
    return response


def _giver_region(scope):
    return scope.region if scope.region is not None else scope.home


def _may_give(scope) -> bool:
    return scope.everything or (scope.can_supervise and scope.region is not None)


def _apply(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def assignment_new(request: HttpRequest) -> HttpResponse:
    """Give an assignment by hand (the county or a town)."""
    scope = request_scope(request)
    if not _may_give(scope):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, scope=scope)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                assignment = assignment_create(
                    giver_region=_giver_region(scope),
                    organisation=data["organisation"],
                    owner=data["owner"],
                    issue=data["issue"],
                    subjects=data["subjects"],
                    due_on=data["due_on"],
                    scope=scope,
                )
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(request, _("Assignment %(ref)s is given.") % {"ref": assignment.ref})
                return redirect("assignments:detail", ref=assignment.ref)
    return render(request, "assignments/assignment_form.html", {"form": form}, status=status)


@login_required
def from_warnings(request: HttpRequest) -> HttpResponse:
    """交办 from the warning list in one step: tick the subjects, set a deadline, one assignment per
    organisation that answers for them, each naming why its subjects were listed."""
    from sanling.alerts.selectors import subject_warnings

    scope = request_scope(request)
    if not _may_give(scope):
        raise PermissionDenied
    region = _giver_region(scope)
    today = timezone.localdate()
    colour = request.GET.get("colour") or None
    warnings = subject_warnings(region=region, on=today, scope=scope, colour=colour) if region else []
    form = FromWarningsForm(request.POST or None, initial={"due_on": today + timezone.timedelta(days=7)})
    status = 200
    if request.method == "POST":
        status = 400
        picked = set(request.POST.getlist("subject"))
        by_code = {warning.subject_code: warning for warning in warnings}
        chosen = [by_code[code] for code in picked if code in by_code]
        if not chosen:
            form.add_error(None, _("Pick at least one subject from the warning list."))
        elif form.is_valid():
            subjects = {subject.code: subject for subject in scope.subjects().filter(code__in=by_code)}
            picks = [
                WarningPick(subject=subjects[warning.subject_code], reasons=list(warning.reasons))
                for warning in chosen
                if warning.subject_code in subjects
            ]
            try:
                result = assignments_from_warnings(
                    giver_region=region,
                    picks=picks,
                    due_on=form.cleaned_data["due_on"],
                    heading=form.cleaned_data["heading"],
                    scope=scope,
                )
            except ValidationError as error:
                _apply(form, error)
            else:
                messages.success(
                    request, _("%(count)s assignments are given.") % {"count": len(result.created)}
                )
                if result.without_organisation:
                    messages.warning(
                        request,
                        _("No organisation answers for: %(names)s")
                        % {"names": "、".join(subject.name for subject in result.without_organisation)},
                    )
                return redirect(reverse("assignments:list") + "?status=open")
    return render(
        request,
        "assignments/from_warnings.html",
        {"form": form, "warnings": warnings, "picked": set(request.POST.getlist("subject"))},
        status=status,
    )


def _assignment_for(request: HttpRequest, ref: str) -> Assignment:
    return get_object_for_user(_rows(request).select_related("giver_organisation", "department"), ref=ref)


def _render_detail(request, assignment, *, bound=None, refusal: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    forms = {}
    if assignment.status == AssignmentStatus.PENDING and is_receiver(assignment, user):
        forms["feedback"] = bound if isinstance(bound, FeedbackForm) else FeedbackForm(assignment=assignment)
    if assignment.status == AssignmentStatus.FED_BACK and is_giver(assignment, user):
        forms["accept"] = bound if isinstance(bound, AcceptForm) else AcceptForm(assignment=assignment)
        forms["return"] = bound if isinstance(bound, ReturnForm) else ReturnForm(assignment=assignment)
    entries = list(assignment.timeline.select_related("actor").prefetch_related("evidence"))
    labels = dict(AssignmentStatus.choices)
    for entry in entries:
        entry.action_label = ACTION_LABELS.get(entry.action, entry.action)
        entry.from_label = labels.get(entry.from_status, "")
        entry.to_label = labels.get(entry.to_status, "")
    response = render(
        request,
        "assignments/assignment_detail.html",
        {
            "assignment": assignment,
            "entries": entries,
            "evidence": assignment.evidence.select_related("uploaded_by"),
            "subjects": assignment.subjects.all(),
            "overdue": assignment.overdue_on(timezone.localdate()),
            "forms": forms,
            "open_form": (
                "feedback"
                if isinstance(bound, FeedbackForm)
                else "return"
                if isinstance(bound, ReturnForm)
                else "accept"
                if isinstance(bound, AcceptForm)
                else ""
            ),
            "refusal": refusal,
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


@login_required
def assignment_detail(request: HttpRequest, ref: str) -> HttpResponse:
    return _render_detail(request, _assignment_for(request, ref))


def _move(request: HttpRequest, ref: str, *, form_class, service, done: str, files: bool = False):
    assignment = _assignment_for(request, ref)
    if not request_scope(request).can_write:
        raise PermissionDenied
    if request.method != "POST":
        return redirect("assignments:detail", ref=ref)
    form = form_class(request.POST, *((request.FILES,) if files else ()), assignment=assignment)
    if not form.is_valid():
        return _render_detail(request, assignment, bound=form, status=400)
    version = form.cleaned_data.get("version")
    try:
        service(assignment=assignment, version=version, user=request.user, **form.arguments())
    except TransitionRefused as refused:
        return _render_detail(request, assignment, bound=form, refusal=refused.message, status=409)
    except StaleVersion as stale:
        fresh = _assignment_for(request, ref)
        return _render_detail(request, fresh, bound=form, refusal=str(stale), status=409)
    except ValidationError as error:
        _apply(form, error)
        return _render_detail(request, assignment, bound=form, status=400)
    messages.success(request, done % {"ref": assignment.ref})
    return redirect("assignments:detail", ref=ref)


@login_required
def feedback(request: HttpRequest, ref: str) -> HttpResponse:
    return _move(
        request,
        ref,
        form_class=FeedbackForm,
        service=assignment_feedback,
        done=_("The feedback on %(ref)s is sent."),
        files=True,
    )


@login_required
def accept(request: HttpRequest, ref: str) -> HttpResponse:
    return _move(
        request, ref, form_class=AcceptForm, service=assignment_accept, done=_("%(ref)s is concluded.")
    )


@login_required
def return_(request: HttpRequest, ref: str) -> HttpResponse:
    return _move(
        request, ref, form_class=ReturnForm, service=assignment_return, done=_("%(ref)s is returned.")
    )


@login_required
def evidence_download(request: HttpRequest, ref: str, pk: int) -> HttpResponse:
    """An evidence file, to those who see its assignment."""
    assignment = _assignment_for(request, ref)
    evidence = get_object_for_user(Evidence.objects.filter(assignment=assignment), pk=pk)
    path = blob_path(evidence.sha256)
    if not path.exists():
        return HttpResponse(_("The file is missing from the store."), status=410)
    response = FileResponse(open(path, "rb"), content_type=evidence.content_type)
    disposition = "inline" if evidence.content_type.startswith("image/") else "attachment"
    from urllib.parse import quote

    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(evidence.name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response
