"""The region-wide lists of dated records (events, disputes): filtered, paginated, exported to Excel.

Both lists take the user's scope first and the filters second, so no filter can reach a row outside the
user's area, and the export writes exactly the rows the list shows (all pages). A filter value that is not
valid is a Chinese message beside that filter and a 400, never an unfiltered list or export.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanling.accounts.scope import request_scope
from sanling.audit.services import audit_export
from sanling.core.workbooks import export_mark, mark_workbook, text_row
from sanling.personal.fields import personal_columns
from sanling.subjects.models import Subject

from .record_filters import RecordFilter

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    """One column of the Excel export: its Chinese header and how a record's cell is read."""

    header: str
    value: Callable


def subject_columns() -> list[Column]:
    """The columns naming a record's subject and where it stands, shared by both exports."""
    return [
        Column("主体编码", lambda record: record.subject.code),
        Column("主体名称", lambda record: record.subject.name),
        Column("属地", lambda record: record.subject.region.name),
        Column("属地代码", lambda record: record.subject.region.code),
        Column(
            "主管部门", lambda record: record.subject.department.name if record.subject.department else ""
        ),
    ]


def _filtered(
    request: HttpRequest, *, records: QuerySet, filterset_class: type[RecordFilter]
) -> RecordFilter:
    # The subject's contact data is not shown here: left unread, nothing is decrypted (sanling.personal).
    queryset = records.select_related("subject", "subject__region", "subject__department").defer(
        *personal_columns(Subject, "subject__")
    )
    return filterset_class(request.GET or None, queryset=queryset, request=request)


def record_list(
    request: HttpRequest,
    *,
    records: QuerySet,
    filterset_class: type[RecordFilter],
    template: str,
    quick_filters: list[tuple[str, str]],
) -> HttpResponse:
    """The list page; ``quick_filters`` are (label, query string) links for the questions asked most."""
    filterset = _filtered(request, records=records, filterset_class=filterset_class)
    valid = not filterset.is_bound or filterset.is_valid()
    rows = filterset.qs if valid else records.none()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "query": query.urlencode(), "quick_filters": quick_filters},
        status=200 if valid else 400,
    )


def record_export(
    request: HttpRequest,
    *,
    records: QuerySet,
    filterset_class: type[RecordFilter],
    sheet: str,
    columns: list[Column],
    filename: str,
    personal_fields: tuple[str, ...] = (),
) -> HttpResponse:
    """Exactly the rows the list shows for the same filters (every page), as an Excel workbook,
    watermarked with who exported it, when and over which scope; the export is audited with its row
    count, its filters and the ``personal_fields`` its columns carry."""
    filterset = _filtered(request, records=records, filterset_class=filterset_class)
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
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(text_row(worksheet, [column.header for column in columns]))
    count = 0
    for record in filterset.qs.iterator(chunk_size=2000):
        worksheet.append(text_row(worksheet, [column.value(record) for column in columns]))
        count += 1
    scope = request_scope(request)
    mark = export_mark(scope=scope, what=f"{sheet}（{count} 行）")
    mark_workbook(workbook, mark)
    audit_export(
        what=filename,
        region_path=scope.region.path if scope.region else "",
        rows={filename: count},
        file_format="xlsx",
        personal_fields=personal_fields,
        filters=request.GET.urlencode(),
        mark=mark.as_dict(),
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
