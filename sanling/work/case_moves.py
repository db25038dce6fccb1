"""One step of a case taken from its page (调解, 上交, 整改, 复查 …): the flow every domain's case page shares."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from sanling.accounts.scope import request_scope
from sanling.core.concurrency import StaleVersion

from .transitions import TransitionRefused


def case_move(
    request: HttpRequest,
    record,
    *,
    keyword: str,
    form_class,
    service: Callable,
    done: str,
    page_url: str,
    reload: Callable[[], object],
    render_case: Callable[..., HttpResponse],
    apply_errors: Callable,
    files: bool = False,
) -> HttpResponse:
    """Run ``service`` (called with ``<keyword>=record``) on ``form_class``'s answer and go back to the case
    page, or show the page again with the form as typed: 400 for bad input, 409 for a refused move or a case
    someone else changed meanwhile (then the form carries the version just shown, so sending it again is a
    deliberate choice made on what the handler has seen)."""
    if not request_scope(request).can_write:
        raise PermissionDenied
    if request.method != "POST":
        return redirect(page_url)
    uploads = (request.FILES,) if files else ()
    form = form_class(request.POST, *uploads, **{keyword: record})
    if not form.is_valid():
        return render_case(request, record, bound=form, status=400)
    version = form.cleaned_data.get("version")
    try:
        service(**{keyword: record}, version=0 if version is None else version, **form.arguments())
    except TransitionRefused as refused:
        return render_case(request, record, bound=form, refusal=refused.message, status=409)
    except StaleVersion as stale:
        fresh = reload()
        data = request.POST.copy()
        data["version"] = str(fresh.version)
        form = form_class(data, **{keyword: fresh})
        form.is_valid()
        return render_case(request, fresh, bound=form, refusal=str(stale), status=409)
    except ValidationError as error:
        apply_errors(form, error)
        return render_case(request, record, bound=form, status=400)
    messages.success(request, done % {"ref": record.ref})
    return redirect(page_url)
