"""Registering, mediating and resolving disputes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import disputes_for
from sanling.core.record_views import record_create, record_delete, record_edit

from .forms import DisputeForm
from .services import dispute_create, dispute_delete, dispute_update

NOUN = _("Dispute")


@login_required
def create(request: HttpRequest) -> HttpResponse:
    return record_create(
        request,
        form_class=DisputeForm,
        create=dispute_create,
        template="disputes/dispute_form.html",
        date_field="reported_on",
        noun=NOUN,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    return record_edit(
        request,
        pk=pk,
        records=disputes_for(request.user),
        form_class=DisputeForm,
        update=lambda dispute, **changes: dispute_update(dispute=dispute, **changes),
        template="disputes/dispute_form.html",
        noun=NOUN,
    )


@login_required
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    return record_delete(
        request,
        pk=pk,
        records=disputes_for(request.user),
        delete=lambda dispute, version: dispute_delete(dispute=dispute, version=version),
        noun=NOUN,
    )
