"""Registering, mediating and resolving disputes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import request_scope
from sanling.core.record_lists import Column, record_export, record_list, subject_columns
from sanling.core.record_views import record_create, record_delete, record_edit

from .filters import UNRESOLVED, DisputeFilter
from .forms import DisputeForm
from .services import dispute_create, dispute_delete, dispute_update

NOUN = _("Dispute")

EXPORT_COLUMNS = [
    Column("编号", lambda dispute: dispute.ref),
    Column("登记日期", lambda dispute: dispute.reported_on.isoformat()),
    Column("类别", lambda dispute: dispute.category),
    Column("摘要", lambda dispute: dispute.summary),
    Column("状态", lambda dispute: dispute.get_status_display()),
    Column("化解层级", lambda dispute: dispute.get_resolved_level_display()),
    Column("化解日期", lambda dispute: dispute.resolved_on.isoformat() if dispute.resolved_on else ""),
    Column("调解方式", lambda dispute: dispute.get_method_display()),
]


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    """Every dispute in the user's area, filtered; 未化解纠纷 is one click."""
    return record_list(
        request,
        records=request_scope(request).disputes(),
        filterset_class=DisputeFilter,
        template="disputes/dispute_list.html",
        quick_filters=[(_("Disputes not yet resolved"), f"status={UNRESOLVED}")],
    )


@login_required
def dispute_export(request: HttpRequest) -> HttpResponse:
    return record_export(
        request,
        records=request_scope(request).disputes(),
        filterset_class=DisputeFilter,
        sheet="矛盾纠纷",
        columns=[*EXPORT_COLUMNS, *subject_columns()],
        filename="disputes",
    )


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
        records=request_scope(request).disputes(),
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
        records=request_scope(request).disputes(),
        delete=lambda dispute, version: dispute_delete(dispute=dispute, version=version),
        noun=NOUN,
    )
