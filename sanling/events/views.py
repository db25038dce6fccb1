"""Reporting, editing and deleting events (from a phone too)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import request_scope
from sanling.core.record_lists import Column, record_export, record_list, subject_columns
from sanling.core.record_views import record_create, record_delete, record_edit

from .filters import EventFilter
from .forms import EventForm
from .models import EventType
from .services import event_create, event_delete, event_update

NOUN = _("Event")


def _yes_no(value: bool) -> str:
    return "是" if value else "否"


EXPORT_COLUMNS = [
    Column("编号", lambda event: event.ref),
    Column("类型", lambda event: event.get_type_display()),
    Column("发生日期", lambda event: event.occurred_on.isoformat()),
    Column("标题", lambda event: event.title),
    Column("信访层级", lambda event: event.get_petition_level_display()),
    Column("须由上级解决", lambda event: _yes_no(event.higher_authority_required)),
    Column("集体访", lambda event: _yes_no(event.collective)),
    Column("事故等级", lambda event: event.get_accident_grade_display()),
    Column("死亡人数", lambda event: event.deaths),
    Column("受伤人数", lambda event: event.injuries),
    Column("状态", lambda event: event.get_status_display()),
]


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Every event in the user's area, filtered; 本月所有信访 is one click."""
    month = timezone.localdate().strftime("%Y-%m")
    return record_list(
        request,
        records=request_scope(request).events(),
        filterset_class=EventFilter,
        template="events/event_list.html",
        quick_filters=[
            (_("All petitions this month"), f"type={EventType.PETITION}&period={month}"),
            (_("All events this month"), f"period={month}"),
        ],
    )


@login_required
def event_export(request: HttpRequest) -> HttpResponse:
    return record_export(
        request,
        records=request_scope(request).events(),
        filterset_class=EventFilter,
        sheet="事件",
        columns=[*EXPORT_COLUMNS, *subject_columns()],
        filename="events",
    )


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
        records=request_scope(request).events(),
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
        records=request_scope(request).events(),
        delete=lambda event, version: event_delete(event=event, version=version),
        noun=NOUN,
    )
