"""The report, edit and delete screens of dated records (events, disputes), shared by both apps; the
subject screens (create, edit, move, retire) use the same create and edit paths.

Edits carry the version the editor loaded; if someone else saved in between, the editor sees, field by
field, what the other editor saved beside their own input, and nothing is overwritten. The form then offers
"save over it": a button carrying the version the editor has now seen, so only that deliberate choice
overwrites (and conflicts again if a third edit came in meanwhile). The hidden version itself stays the one
first loaded, so a plain 保存 never overwrites by accident.
"""

import datetime
from collections.abc import Callable
from operator import attrgetter

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from sanling.accounts.scope import get_object_for_user, request_scope
from sanling.personal.fields import EncryptedCharField
from sanling.work.transitions import TransitionRefused

from .concurrency import StaleVersion


def _require_writer(request: HttpRequest) -> None:
    if not request_scope(request).can_write:
        raise PermissionDenied


def _next_or(request: HttpRequest, fallback: str) -> HttpResponse:
    """Redirect to the user-supplied ``next`` only if it stays on this site (no open redirect)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _shown(model_field, value) -> str:
    """A stored or typed value as the form's reader knows it: a choice's label, 是/否, an ISO date."""
    if value is None or value == "":
        return "—"
    if isinstance(model_field, EncryptedCharField):  # personal data: shown masked, as everywhere
        return model_field.mask(str(value))
    if model_field is not None and model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "code") and hasattr(value, "name"):  # a subject
        return f"{value.name}（{value.code}）"
    return str(value)


# The version assumed for a form posted without one: no record has it, so saving is a conflict the user sees.
UNKNOWN_VERSION = 0


def conflict_changes(form, current) -> list[dict]:
    """Field by field where the stored record (saved by someone else) differs from the editor's input."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        model_name = "subject" if name == "subject_code" else name
        try:
            model_field = type(current)._meta.get_field(model_name)
        except FieldDoesNotExist:  # a form-only field (a move date, a confirmation): nothing stored to differ
            continue
        theirs = getattr(current, model_name, None)
        mine = form.cleaned_data[name]
        if theirs == mine or (theirs in (None, "") and mine in (None, "")):
            continue
        rows.append(
            {
                "name": name,
                "label": field.label,
                "theirs": _shown(model_field, theirs),
                "mine": _shown(model_field, mine),
            }
        )
    return rows


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
    subjects = request_scope(request).subjects()
    initial = {date_field: timezone.localdate(), "subject_code": request.GET.get("subject", "")}
    form = form_class(request.POST or None, initial=initial, **(form_kwargs or {"subjects": subjects}))
    if request.method == "POST" and form.is_valid():
        try:
            record = create(**{name: value for name, value in form.changes().items()})
        except TransitionRefused as refused:
            form.add_error(None, refused.message)
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
    subjects = request_scope(request).subjects()
    form = form_class(request.POST or None, instance=record, **(form_kwargs or {"subjects": subjects}))
    conflict = None
    changes: list[dict] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        fresh = get_object_for_user(records, pk=pk)
        # "Save over it" names the version the editor saw in the conflict; a plain save, the one first loaded.
        overwrite = request.POST.get("overwrite_version", "")
        version = int(overwrite) if overwrite.isdigit() else form.cleaned_data["version"]
        if version is None:  # a page without the version it was loaded at: never a blind overwrite
            version = UNKNOWN_VERSION
        try:
            update(fresh, version=version, **form.changes())
        except TransitionRefused as refused:  # a move the record's lifecycle does not allow
            form.add_error(None, refused.message)
            status = 409
        except StaleVersion as stale:
            conflict = get_object_for_user(records, pk=pk)
            changes = conflict_changes(form, conflict)
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
        {
            "form": form,
            "record": record,
            "conflict": conflict,
            "conflict_changes": changes,
            "suggestions": subjects.order_by("code")[:30],
        },
        status=status,
    )


def record_delete(
    request: HttpRequest, *, pk: int, records: QuerySet, delete: Callable, noun: str
) -> HttpResponse:
    _require_writer(request)
    record = get_object_for_user(records, pk=pk)  # outside the scope: 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        version = request.POST.get("version", "")
        delete(record, version=int(version) if version.isdigit() else UNKNOWN_VERSION)
    except StaleVersion as stale:
        messages.error(request, str(stale))
        return _next_or(request, "subjects:list")
    messages.success(request, _("%(noun)s %(ref)s is deleted.") % {"noun": noun, "ref": record.ref})
    return redirect("subjects:detail", pk=record.subject_id)
