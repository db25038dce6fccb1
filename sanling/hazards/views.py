"""The hazard pages: the list (filtered, overdue in red) and its 隐患台账, an inspection with its checklist,
and the hazard's case page with its timeline, photos and the moves 整改 → 申请复查 → 复查.

Views are thin: each move posts to a view that calls its service. A refused move, a bad value or a stale page
shows the Chinese message, keeps what was typed and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.core.ledger_jobs import ledger_job_view
from sanling.core.record_lists import record_export, record_list, subject_columns
from sanling.work.attachments import attachments_of
from sanling.work.case_moves import case_move
from sanling.work.selectors import timeline_of

from .filters import OPEN, HazardFilter
from .forms import MOVE_FORMS, InspectionForm, MoveForm
from .ledger import LEDGER_COLUMNS
from .models import Hazard, HazardStatus
from .selectors import hazards_for
from .services import (
    hazard_recheck,
    hazard_rectify,
    hazard_register,
    hazard_request_recheck,
    inspection_create,
)

MOVES = {
    "rectify": (hazard_rectify, _("The rectification of %(ref)s is recorded.")),
    "request_recheck": (hazard_request_recheck, _("%(ref)s is sent for re-check.")),
    "recheck": (hazard_recheck, _("The re-check of %(ref)s is recorded.")),
}
# status -> the moves its page offers
OFFERED = {
    HazardStatus.RECTIFYING: ("rectify", "request_recheck"),
    HazardStatus.RECHECK_REQUESTED: ("recheck",),
    HazardStatus.CLOSED: (),
}


def case_url(hazard: Hazard) -> str:
    return reverse("hazards:case", kwargs={"ref": hazard.ref})


@login_required
def hazard_list(request: HttpRequest) -> HttpResponse:
    """Every hazard in the user's area, filtered; open and overdue ones are one click away."""
    return record_list(
        request,
        records=hazards_for(request_scope(request)),
        filterset_class=HazardFilter,
        template="hazards/hazard_list.html",
        quick_filters=[
            (_("Hazards not yet closed"), f"status={OPEN}"),
            (_("Overdue hazards"), "overdue=true"),
            (_("Waiting for re-check"), f"status={HazardStatus.RECHECK_REQUESTED}"),
        ],
    )


@login_required
def hazard_export(request: HttpRequest) -> HttpResponse:
    """The 隐患台账: exactly the rows of the filtered list (audited, watermarked, neutralised)."""
    return record_export(
        request,
        records=hazards_for(request_scope(request)).select_related("case__handler", "inspection"),
        filterset_class=HazardFilter,
        sheet="隐患台账",
        columns=[*LEDGER_COLUMNS, *subject_columns()],
        filename="hazards",
    )


hazard_export_job = ledger_job_view("hazards", "hazards:list")


def _hazard_for(request: HttpRequest, ref: str) -> Hazard:
    """The hazard ``ref`` in the user's area, or 404."""
    return get_object_for_user(
        hazards_for(request_scope(request)).select_related(
            "subject__department", "case__organisation", "case__handler", "inspection", "owner_user"
        ),
        ref=ref,
    )


def _render_case(
    request: HttpRequest,
    hazard: Hazard,
    *,
    bound: MoveForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    scope = request_scope(request)
    forms = []
    if scope.can_write:
        for move in OFFERED[hazard.status]:
            forms.append(
                bound if bound is not None and bound.move == move else MOVE_FORMS[move](hazard=hazard)
            )
    today = timezone.localdate()
    case = hazard.case
    response = render(
        request,
        "hazards/hazard_case.html",
        {
            "hazard": hazard,
            "case": case,
            "entries": timeline_of(case),
            "attachments": attachments_of(case),
            "overdue": case.closed_on is None and case.due_on is not None and case.due_on < today,
            "move_forms": forms,
            "open_move": bound.move if bound is not None else (forms[0].move if len(forms) == 1 else ""),
            "refusal": refusal,
            "accidents": hazard.accidents.order_by("occurred_on"),
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


@login_required
def case(request: HttpRequest, ref: str) -> HttpResponse:
    return _render_case(request, _hazard_for(request, ref))


def _apply_errors(form: MoveForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        name = {"file": "photo", "photos": "photo"}.get(field, field)
        form.add_error(name if name in form.fields else None, field_errors)


def _move(request: HttpRequest, ref: str, move: str) -> HttpResponse:
    hazard = _hazard_for(request, ref)
    service, done = MOVES[move]
    return case_move(
        request,
        hazard,
        keyword="hazard",
        form_class=MOVE_FORMS[move],
        service=service,
        done=done,
        page_url=case_url(hazard),
        reload=lambda: _hazard_for(request, ref),
        render_case=_render_case,
        apply_errors=_apply_errors,
        files=True,
    )


@login_required
def rectify(request: HttpRequest, ref: str) -> HttpResponse:
    """整改: what was done, with a photo."""
    return _move(request, ref, "rectify")


@login_required
def request_recheck(request: HttpRequest, ref: str) -> HttpResponse:
    """申请复查, with a photo of the fix."""
    return _move(request, ref, "request_recheck")


@login_required
def recheck(request: HttpRequest, ref: str) -> HttpResponse:
    """复查: passed (closed) or not (back to 整改, the deadline kept or extended with a reason)."""
    return _move(request, ref, "recheck")


def _grids(scope):
    return scope.regions().filter(level__in=("grid", "building")).order_by("path")


@login_required
def inspection_new(request: HttpRequest) -> HttpResponse:
    """An inspection with the checklist of its type; each failed item may open a hazard in the same form."""
    scope = request_scope(request)
    if not scope.can_write:
        raise PermissionDenied
    kwargs = {
        "subjects": scope.subjects(),
        "departments": scope.departments().order_by("code"),
        "grids": _grids(scope),
        "inspection_type": request.GET.get("type", ""),
    }
    status = 200
    if request.method == "POST":
        form = InspectionForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    inspection = _record(request, data, form)
            except ValidationError as error:
                for field, field_errors in getattr(
                    error, "message_dict", {"__all__": error.messages}
                ).items():
                    form.add_error(field if field in form.fields else None, field_errors)
                status = 400
            else:
                found = inspection.hazards.count()
                messages.success(
                    request,
                    _("Inspection %(ref)s is recorded with %(count)s hazard(s).")
                    % {"ref": inspection.ref, "count": found},
                )
                first = inspection.hazards.order_by("pk").first()
                return redirect(case_url(first) if found == 1 else reverse("hazards:list"))
        else:
            status = 400
    else:
        form = InspectionForm(**kwargs)
    types = form.fields["inspection_type"].choices
    response = render(
        request,
        "hazards/inspection_form.html",
        {
            "form": form,
            "types": types,
            "chosen": form.chosen,
            "chosen_label": dict(types).get(form.chosen, ""),
        },
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _record(request, data, form):
    subject = data["subject_code"]
    inspection = inspection_create(
        subject=subject,
        inspected_on=data["inspected_on"],
        inspection_type=data["inspection_type"],
        by_kind=data["by_kind"],
        department=data.get("department"),
        grid=data.get("grid"),
        note=data.get("note", ""),
        inspector=request.user,
        results=form.results(),
    )
    for finding in form.hazards():
        hazard_register(
            subject=subject,
            found_on=data["inspected_on"],
            grid=data.get("grid"),
            inspection=inspection,
            **finding,
        )
    return inspection
