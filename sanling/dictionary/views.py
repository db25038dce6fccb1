"""The dispute-category list for administrators: add a value, relabel, reorder, disable (through the services)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sanling.accounts.scope import request_scope

from .forms import EntryForm
from .models import Entry, EntryType
from .services import entry_create, entry_update


def _require_administrator(request: HttpRequest) -> None:
    # The lists are the deployment's configuration, the system administrator's duty; a county's system
    # administrator edits them only where the deployment is that county (found in review: with two
    # counties, one could relabel or disable the other's values).
    if not request_scope(request).can_configure:
        raise PermissionDenied


def _apply(form: EntryForm, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def categories(request: HttpRequest) -> HttpResponse:
    """The list, with a form to add a value."""
    _require_administrator(request)
    form = EntryForm(request.POST or None, initial={"enabled": True})
    if request.method == "POST" and form.is_valid():
        try:
            entry = entry_create(type=EntryType.DISPUTE_CATEGORY, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("“%(label)s” is added.") % {"label": entry.label})
            return redirect("dictionary:categories")
    entries = Entry.objects.filter(type=EntryType.DISPUTE_CATEGORY)
    return render(request, "dictionary/categories.html", {"entries": entries, "form": form})


@login_required
def category_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Relabel, reorder, disable or enable one value; its code stays (records store it)."""
    _require_administrator(request)
    entry = get_object_or_404(Entry, pk=pk, type=EntryType.DISPUTE_CATEGORY)
    form = EntryForm(request.POST or None, instance=entry)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry_update(entry=entry, label=data["label"], order=data["order"], enabled=data["enabled"])
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("“%(label)s” is saved.") % {"label": data["label"]})
            return redirect("dictionary:categories")
    return render(request, "dictionary/category_edit.html", {"entry": entry, "form": form})
