"""Reporting, editing and deleting events (from a phone too)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import events_for
from sanling.core.record_views import record_create, record_delete, record_edit

from .forms import EventForm
from .services import event_create, event_delete, event_update

NOUN = _("Event")


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return record_create(
        request,
        form_class=EventForm,
        create=event_create,
        template="events/event_form.html",
        date_field="occurred_on",
        noun=NOUN,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(
        request,
        pk=pk,
        records=events_for(request.user),
        form_class=EventForm,
        update=lambda event, **changes: event_update(event=event, **changes),
        template="events/event_form.html",
        noun=NOUN,
    )


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(
        request,
        pk=pk,
        records=events_for(request.user),
        delete=lambda event, version: event_delete(event=event, version=version),
        noun=NOUN,
    )
