"""The dispute case page (一案一码): what the case is, where it stands up the 三级过滤网, its timeline, and one
small form per move the transition table allows now; and the printable case sheet with its QR code.

The views are thin: each move posts to a view that calls its service. A refused move, a bad value or a
stale page shows the Chinese message, keeps what was typed and changes nothing (the services write in one
transaction or not at all).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.core.qr import qr_svg
from sanling.personal.fields import masked
from sanling.work.case_moves import case_move

from .forms import MOVE_FORMS, MoveForm
from .models import Dispute
from .selectors import dispute_case_view, dispute_moves
from .services import (
    dispute_escalate,
    dispute_fail,
    dispute_follow_up,
    dispute_mediate,
    dispute_resolve,
    dispute_to_litigation,
    dispute_to_petition,
)

# move -> (its service, what the page says once it is done)
MOVES = {
    "mediate": (dispute_mediate, gettext_lazy("Mediation of %(ref)s has started.")),
    "escalate": (dispute_escalate, gettext_lazy("%(ref)s is handed up a level.")),
    "resolve": (dispute_resolve, gettext_lazy("%(ref)s is resolved.")),
    "fail": (dispute_fail, gettext_lazy("%(ref)s is closed: mediation failed.")),
    "to_petition": (dispute_to_petition, gettext_lazy("%(ref)s carries on as a petition.")),
    "to_litigation": (dispute_to_litigation, gettext_lazy("%(ref)s is turned to litigation or arbitration.")),
    "follow_up": (dispute_follow_up, gettext_lazy("The follow-up visit of %(ref)s is recorded.")),
}
# A service's error on a model field the form calls otherwise.
FIELD_OF = {"resolved_level": "level", "resolved_on": "on", "follow_up_on": "on", "level": "to_level"}


def case_url(dispute: Dispute) -> str:
    return reverse("disputes:case", kwargs={"ref": dispute.ref})


def _dispute_for(request: HttpRequest, ref: str) -> Dispute:
    """The dispute ``ref`` in the user's area, or 404 (an outsider learns nothing, whatever the method)."""
    return get_object_for_user(
        request_scope(request)
        .disputes()
        .select_related("subject__region", "subject__department", "case__organisation", "case__handler"),
        ref=ref,
    )


def _render_case(
    request: HttpRequest,
    dispute: Dispute,
    *,
    bound: MoveForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    scope = request_scope(request)
    forms = []
    if scope.can_write:  # read-only viewers see the case, never a move
        for move in dispute_moves(dispute):
            if bound is not None and bound.move == move:
                forms.append(bound)
            else:
                forms.append(MOVE_FORMS[move](dispute=dispute))
    view = dispute_case_view(dispute)
    response = render(
        request,
        "disputes/dispute_case.html",
        {
            "view": view,
            "dispute": dispute,
            "case": dispute.case,
            "entries": view.entries,
            "parties": masked(dispute, "parties"),
            "move_forms": forms,
            "open_move": bound.move if bound is not None else "",
            "refusal": refusal,
        },
        status=status,
    )
    add_never_cache_headers(response)  # the petitioner's data typed into a form stays out of caches
    return response


@login_required
def case(request: HttpRequest, ref: str) -> HttpResponse:
    """The case page: summary, subject and its status this month, level, status, who has it, due date,
    the petition and event it became, the timeline, and the moves the user may make."""
    return _render_case(request, _dispute_for(request, ref))


def _apply_errors(form: MoveForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_errors in error.message_dict.items():
        name = field if field in form.fields else FIELD_OF.get(field, field)
        form.add_error(name if name in form.fields else None, field_errors)


def _move(request: HttpRequest, ref: str, move: str) -> HttpResponse:
    dispute = _dispute_for(request, ref)
    service, done = MOVES[move]
    return case_move(
        request,
        dispute,
        keyword="dispute",
        form_class=MOVE_FORMS[move],
        service=service,
        done=done,
        page_url=case_url(dispute),
        reload=lambda: _dispute_for(request, ref),
        render_case=_render_case,
        apply_errors=_apply_errors,
    )


@login_required
def mediate(request: HttpRequest, ref: str) -> HttpResponse:
    """开始调解 at the dispute's level, optionally tagged with a 四诊 stage."""
    return _move(request, ref, "mediate")


@login_required
def escalate(request: HttpRequest, ref: str) -> HttpResponse:
    """上交 one level up (a reason when skipping a level)."""
    return _move(request, ref, "escalate")


@login_required
def resolve(request: HttpRequest, ref: str) -> HttpResponse:
    """化解, at a level and by a method of mediation, with the agreement."""
    return _move(request, ref, "resolve")


@login_required
def fail(request: HttpRequest, ref: str) -> HttpResponse:
    """调解不成."""
    return _move(request, ref, "fail")


@login_required
def to_petition(request: HttpRequest, ref: str) -> HttpResponse:
    """转信访: the case carries on as a petition under its ref."""
    return _move(request, ref, "to_petition")


@login_required
def to_litigation(request: HttpRequest, ref: str) -> HttpResponse:
    """转诉讼/仲裁."""
    return _move(request, ref, "to_litigation")


@login_required
def follow_up(request: HttpRequest, ref: str) -> HttpResponse:
    """回访 of a resolved dispute, with the parties' satisfaction."""
    return _move(request, ref, "follow_up")


@login_required
@never_cache
def sheet(request: HttpRequest, ref: str) -> HttpResponse:
    """The printable case sheet (一案一码): the case, its timeline and a QR code of the case page's address,
    so a paper file leads back to the case (opened only by someone whose scope covers it)."""
    dispute = _dispute_for(request, ref)
    address = request.build_absolute_uri(case_url(dispute))
    view = dispute_case_view(dispute)
    return render(
        request,
        "disputes/dispute_sheet.html",
        {
            "view": view,
            "dispute": dispute,
            "case": dispute.case,
            "entries": view.entries,
            "parties": masked(dispute, "parties"),
            "address": address,
            "qr": qr_svg(address, size=160, css_class="case-qr"),
        },
    )
