"""The Excel ledgers 信访台账, 积案台账 and 信访代理台账: exactly the rows of the filtered list, Chinese headers,
text written as text (``core.workbooks``), watermarked and audited like every export. A petitioner's or
applicant's identity is masked unless the exporting user may unmask it and gives a reason, and then the
whole export is one audited read (``personal_unmask_export``)."""

import io
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanling.accounts.scope import request_scope
from sanling.audit.services import audit_export, audit_note
from sanling.core.record_lists import XLSX, Column, subject_columns
from sanling.core.workbooks import export_mark, mark_workbook, text_row
from sanling.personal.access import may_unmask
from sanling.personal.fields import exported_fields, masked
from sanling.personal.services import personal_unmask_export

from .selectors import checklist_labels, checklist_of, is_overdue

YES, NO = "是", "否"


def _yes(value: bool) -> str:
    return YES if value else NO


def _day(value) -> str:
    return value.isoformat() if value else ""


def _person(full: bool, name: str) -> Callable:
    return lambda record: (getattr(record, name) or "") if full else masked(record, name)


def petition_columns(full: bool) -> list[Column]:
    return [
        Column("编号", lambda p: p.ref),
        Column("登记日期", lambda p: _day(p.received_on)),
        Column("来源渠道", lambda p: p.get_channel_display()),
        Column("四访方式", lambda p: p.get_visit_mode_display()),
        Column("信访层级", lambda p: p.get_level_display()),
        Column("信访事项", lambda p: p.summary),
        Column("信访人", _person(full, "petitioner_name")),
        Column("身份证号码", _person(full, "petitioner_id_number")),
        Column("联系电话", _person(full, "petitioner_phone")),
        Column("初信初访/重复访", lambda p: "重复访" if p.repeat else "初信初访"),
        Column("集体访", lambda p: _yes(p.collective)),
        Column("人数", lambda p: p.people_count),
        Column("越级", lambda p: _yes(p.bypass)),
        Column("诉求", lambda p: p.get_claim_display() if p.claim else ""),
        Column("办理环节", lambda p: p.get_step_display()),
        Column("受理告知期限", lambda p: _day(p.accept_due_on)),
        Column("受理日期", lambda p: _day(p.accepted_on)),
        Column("办理期限", lambda p: _day(p.result_due_on)),
        Column("延期日期", lambda p: _day(p.extended_on)),
        Column("答复日期", lambda p: _day(p.replied_on)),
        Column("终结日期", lambda p: _day(p.concluded_on)),
        Column("满意度", lambda p: p.get_satisfaction_display() if p.satisfaction else ""),
        Column("当前期限", lambda p: _day(p.case.due_on)),
        Column("是否超期", lambda p: _yes(is_overdue(p.case))),
        Column("积案", lambda p: _yes(p.case.backlog)),
        Column("承办单位", lambda p: p.case.organisation.name if p.case.organisation else ""),
        Column("关联事件", lambda p: p.event.ref if p.event else ""),
        *subject_columns(),
    ]


def agency_columns(full: bool) -> list[Column]:
    return [
        Column("编号", lambda a: a.ref),
        Column("申请日期", lambda a: _day(a.applied_on)),
        Column("代理事项", lambda a: a.summary),
        Column("申请人", _person(full, "applicant_name")),
        Column("代理人", lambda a: a.agent_name),
        Column("环节", lambda a: a.get_step_display()),
        Column("须由上级解决", lambda a: _yes(a.higher_authority_required)),
        Column("终结日期", lambda a: _day(a.concluded_on)),
        Column("满意度", lambda a: a.get_satisfaction_display() if a.satisfaction else ""),
        Column("关联信访", lambda a: a.petition.ref if a.petition else ""),
        *subject_columns(),
    ]


def backlog_columns() -> list[Column]:
    labels = checklist_labels()
    today = timezone.localdate()

    def done(entry) -> str:
        items = checklist_of(entry, labels)
        return f"{sum(1 for item in items if item.done_on)}/{len(items)}"

    def item_column(code: str, label: str) -> Column:
        return Column(label, lambda entry: entry.checklist.get(code, "") or "")

    return [
        Column("编号", lambda b: b.item.ref),
        Column("类型", lambda b: b.item.get_kind_display()),
        Column("事项", lambda b: b.item.title),
        Column("主体名称", lambda b: b.item.subject.name),
        Column("属地", lambda b: b.item.subject.region.name),
        Column("列入日期", lambda b: _day(b.flagged_on)),
        Column("责任单位", lambda b: b.responsible_organisation.name),
        Column("责任人", lambda b: b.responsible_person),
        Column("包案领导", lambda b: b.leader),
        Column("化解时限", lambda b: _day(b.deadline)),
        Column("是否超期", lambda b: _yes(b.item.closed_on is None and b.deadline < today)),
        Column("化解日期", lambda b: _day(b.item.closed_on)),
        Column("清单完成", done),
        *[item_column(code, label) for code, label in labels.items()],
    ]


def ledger_response(
    request: HttpRequest,
    *,
    filterset,
    sheet: str,
    columns: Callable[[bool], list[Column]],
    filename: str,
    personal_model: str = "",
) -> HttpResponse:
    """The workbook of ``filterset``'s rows (all pages). ``personal_model`` names the model whose personal
    fields the columns carry: masked, or in clear for a user who may unmask and says why (``?reason=``),
    audited as one read of all the rows before anything is written."""
    if filterset.is_bound and not filterset.is_valid():
        problems = "；".join(
            f"{filterset.form.fields[name].label}：{' '.join(errors)}"
            for name, errors in filterset.errors.items()
        )
        return HttpResponse(
            _("Nothing was exported: %(problems)s") % {"problems": problems},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    scope = request_scope(request)
    rows = filterset.qs
    count = rows.count()
    region_path = scope.region.path if scope.region else ""
    reason = request.GET.get("reason", "").strip()
    full = bool(personal_model and reason) and may_unmask(scope)
    if full:
        try:
            personal_unmask_export(
                user=request.user,
                model=rows.model,
                count=count,
                reason=reason,
                region_path=region_path,
                what=audit_note("Excel export of %(count)s rows of %(ledger)s", count=count, ledger=sheet),
            )
        except ValidationError as error:
            return HttpResponse(
                " ".join(error.messages), content_type="text/plain; charset=utf-8", status=400
            )
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    chosen = columns(full)
    worksheet.append(text_row(worksheet, [column.header for column in chosen]))
    written = 0
    for record in rows.iterator(chunk_size=2000):
        worksheet.append(text_row(worksheet, [column.value(record) for column in chosen]))
        written += 1
    mark = export_mark(scope=scope, what=f"{sheet}（{written} 行）")
    mark_workbook(workbook, mark)
    query = request.GET.copy()
    query.pop("reason", None)  # the reason is in the unmask entry; the filters are what was exported
    audit_export(
        what=filename,
        region_path=region_path,
        rows={filename: written},
        file_format="xlsx",
        personal_fields=exported_fields(personal_model, clear=full) if personal_model else (),
        filters=query.urlencode(),
        mark=mark.as_dict(),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
