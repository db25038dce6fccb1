"""Registering, mediating and resolving disputes."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import request_scope
from sanling.core.ledger_jobs import ledger_job_view
from sanling.core.record_lists import Column, record_export, record_list, subject_columns
from sanling.core.record_views import record_create, record_delete, record_edit

from .case_views import case_url
from .filters import MINE, UNRESOLVED, DisputeFilter
from .forms import DisputeCreateForm, DisputeForm
from .services import dispute_create, dispute_delete, dispute_update

NOUN = _("Dispute")


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _case(dispute, read) -> str:
    return read(dispute.case) if dispute.case_id else ""


def _handler(case) -> str:
    return (case.handler.get_full_name() or case.handler.get_username()) if case.handler else ""


# The 矛盾纠纷台账: the record, then where the case stands up the 三级过滤网 (level, who has it, when it is
# due, when it closed), how it ended and the 回访. The parties are personal data and stay out of the ledger.
EXPORT_COLUMNS = [
    Column("编号", lambda dispute: dispute.ref),
    Column("登记日期", lambda dispute: dispute.reported_on.isoformat()),
    Column("类别", lambda dispute: dispute.category),
    Column("摘要", lambda dispute: dispute.summary),
    Column("状态", lambda dispute: dispute.get_status_display()),
    Column("化解层级", lambda dispute: dispute.get_resolved_level_display()),
    Column("化解日期", lambda dispute: _iso(dispute.resolved_on)),
    Column("调解方式", lambda dispute: dispute.get_method_display()),
    Column("所处层级", lambda dispute: dispute.get_level_display()),
    Column("四诊", lambda dispute: dispute.get_diagnosis_display()),
    Column(
        "承办单位",
        lambda dispute: _case(dispute, lambda case: case.organisation.name if case.organisation else ""),
    ),
    Column("承办人", lambda dispute: _case(dispute, _handler)),
    Column("办理时限", lambda dispute: _case(dispute, lambda case: _iso(case.due_on))),
    Column("办结日期", lambda dispute: _case(dispute, lambda case: _iso(case.closed_on))),
    Column("调解协议", lambda dispute: dispute.agreement),
    Column("回访日期", lambda dispute: _iso(dispute.follow_up_on)),
    Column("满意度", lambda dispute: dispute.get_satisfaction_display()),
]


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    """Every dispute in the user's area, filtered; 未化解纠纷 is one click."""
    return record_list(
        request,
        records=request_scope(request).disputes(),
        filterset_class=DisputeFilter,
        template="disputes/dispute_list.html",
        quick_filters=[
            (_("Disputes not yet resolved"), f"status={UNRESOLVED}"),
            (_("Found in my grids"), f"my_grids={MINE}"),
        ],
    )


@login_required
def dispute_export(request: HttpRequest) -> HttpResponse:
    """The 矛盾纠纷台账: exactly the rows of the filtered list, with Chinese headers (audited, watermarked)."""
    return record_export(
        request,
        # The case's holder is read per row; joined here so a ledger of thousands stays a few queries.
        records=request_scope(request).disputes().select_related("case__organisation", "case__handler"),
        filterset_class=DisputeFilter,
        sheet="矛盾纠纷台账",
        columns=[*EXPORT_COLUMNS, *subject_columns()],
        filename="disputes",
    )


# The same ledger as a background job (disputes.jobs), for a list too long to wait for.
dispute_export_job = ledger_job_view("disputes", "disputes:list")


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Register a dispute at a level (组 by default), with the place's mediator or a chosen organisation;
    the saved case opens on its page, where the next step is one tap away."""
    scope = request_scope(request)
    return record_create(
        request,
        form_class=DisputeCreateForm,
        create=dispute_create,
        template="disputes/dispute_form.html",
        date_field="reported_on",
        noun=NOUN,
        form_kwargs={
            "subjects": scope.subjects(),
            "grids": scope.regions(),
            "organisations": scope.organisations().filter(active=True).order_by("region__path", "code"),
        },
        done=case_url,
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request_scope(request)
    return record_edit(
        request,
        pk=pk,
        records=scope.disputes(),
        form_kwargs={"subjects": scope.subjects(), "grids": scope.regions()},
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
