"""The report, edit and delete screens of dated records (events, disputes), shared by both apps; the
subject screens (create, edit, move, retire) use the same create and edit paths.

Edits carry the version the editor loaded; if someone else saved in between, the editor sees a conflict
message with their own input kept, and nothing is overwritten.
"""

from collections.abc import Callable
from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import get_object_for_user, request_scope, subjects_for

from .concurrency import StaleVersion


def _require_writer(request: HttpRequest) -> None:
    if not request_scope(request).can_write:
        raise PermissionDenied


def _apply_errors(form, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def subject_page_of(record) -> str:
    """Where a saved record leads: the page of its subject."""
    return reverse("subjects:detail", kwargs={"pk": record.subject_id})


def record_create(
    request: HttpRequest,
    *,
    form_class,
    create: Callable,
    template: str,
    date_field: str,
    noun: str,
    form_kwargs: dict | None = None,
    done: Callable[..., str] = subject_page_of,
    name_of: Callable[..., str] = attrgetter("ref"),
) -> HttpResponse:
    """``form_kwargs`` (default: the user's subjects), ``done`` (the URL a saved record leads to) and
    ``name_of`` (its name in the message) let the subject screens use the same path."""
    _require_writer(request)
    subjects = subjects_for(request.user)
    initial = {date_field: timezone.localdate(), "subject_code": request.GET.get("subject", "")}
    form = form_class(request.POST or None, initial=initial, **(form_kwargs or {"subjects": subjects}))
    if request.method == "POST" and form.is_valid():
        try:
            record = create(**{name: value for name, value in form.changes().items()})
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(noun)s %(ref)s is recorded.") % {"noun": noun, "ref": name_of(record)}
            )
            return redirect(done(record))
    return render(
        request, template, {"form": form, "record": None, "suggestions": subjects.order_by("code")[:30]}
    )


def record_edit(
    request: HttpRequest,
    *,
    pk: int,
    records: QuerySet,
    form_class,
    update: Callable,
    template: str,
    noun: str,
    form_kwargs: dict | None = None,
    done: Callable[..., str] = subject_page_of,
    name_of: Callable[..., str] = attrgetter("ref"),
) -> HttpResponse:
    _require_writer(request)
    record = get_object_for_user(records, pk=pk)
    subjects = subjects_for(request.user)
    form = form_class(request.POST or None, instance=record, **(form_kwargs or {"subjects": subjects}))
    conflict = None
    if request.method == "POST" and form.is_valid():
        fresh = get_object_for_user(records, pk=pk)
        try:
            update(fresh, version=form.cleaned_data["version"], **form.changes())
        except StaleVersion as stale:
            conflict = get_object_for_user(records, pk=pk)
            form.add_error(None, str(stale))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request, _("%(noun)s %(ref)s is saved.") % {"noun": noun, "ref": name_of(record)}
            )
            return redirect(done(fresh))
    return render(
        request,
        template,
        {"form": form, "record": record, "conflict": conflict, "suggestions": subjects.order_by("code")[:30]},
    )


def record_delete(
    request: HttpRequest, *, pk: int, records: QuerySet, delete: Callable, noun: str
) -> HttpResponse:
    _require_writer(request)
    record = get_object_for_user(records, pk=pk)  # outside the scope: 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        delete(record, version=int(request.POST.get("version") or record.version))
    except StaleVersion as stale:
        messages.error(request, str(stale))
        return redirect(request.POST.get("next") or "subjects:list")
    messages.success(request, _("%(noun)s %(ref)s is deleted.") % {"noun": noun, "ref": record.ref})
    return redirect("subjects:detail", pk=record.subject_id)
