"""The casework ledgers' Excel exports as background jobs (``sanling.jobs.exports``), for a ledger too long to
wait for: the list's filters (its query string), exactly the rows of the synchronous export, personal data
always masked (unmasking, which asks for a reason, stays with the synchronous export), watermarked and
audited as the synchronous export is, and the job's progress told as rows are written."""

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from openpyxl import Workbook

from sanling.accounts.scope import Scope
from sanling.audit.services import audit_export
from sanling.core.progress import Progress, ProgressCallback
from sanling.core.workbooks import export_mark, mark_workbook, text_row
from sanling.jobs.services import job_start

from .record_lists import Column


def ledger_query(params: dict) -> QueryDict:
    """The filters of ``params["query"]`` (the list's query string), without what is not a filter: the
    page, and a reason to unmask, which a job never honours."""
    query = QueryDict(str(params.get("query", "")), mutable=True)
    query.pop("page", None)
    query.pop("reason", None)
    return query


def ledger_write(
    *,
    scope: Scope,
    params: dict,
    path: Path,
    progress: ProgressCallback,
    rows: QuerySet,
    filterset_class: type,
    sheet: str,
    columns: list[Column],
    filename: str,
    personal_fields: tuple[str, ...] = (),
) -> dict:
    """Write at ``path`` the workbook ``sheet`` of ``rows`` (already in ``scope``) filtered by the list's
    query, as ``core.record_lists.record_export`` and ``petitions.exports.ledger_response`` do; audited
    under ``filename`` with the ``personal_fields`` the (masked) columns carry. A filter that cannot be
    applied raises a ValidationError in Chinese and writes nothing."""
    query = ledger_query(params)
    filterset = filterset_class(query or None, queryset=rows, scope=scope)
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(
            [
                f"{filterset.form.fields[name].label if name in filterset.form.fields else ''}："
                f"{' '.join(errors)}"
                for name, errors in filterset.errors.items()
            ]
        )
    records = filterset.qs
    counter = Progress(progress)
    counter.start(records.count(), _("Writing %(ledger)s") % {"ledger": sheet})
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.append(text_row(worksheet, [column.header for column in columns]))
    written = 0
    for record in counter.counted(records.iterator(chunk_size=2000)):
        worksheet.append(text_row(worksheet, [column.value(record) for column in columns]))
        written += 1
    counter.finish()
    mark = export_mark(scope=scope, what=f"{sheet}（{written} 行）")
    mark_workbook(workbook, mark)
    workbook.save(path)
    audit_export(
        what=filename,
        region_path=scope.region.path if scope.region else "",
        rows={filename: written},
        file_format="xlsx",
        personal_fields=personal_fields,
        filters=query.urlencode(),
        mark=mark.as_dict(),
    )
    return {"rows": {sheet: written}}


def ledger_job_view(export: str, back: str) -> Callable[[HttpRequest], HttpResponse]:
    """The view that starts export ``export`` as a job of the signed-in user with the list's query string
    (posted as ``query``) and opens the job's page (its progress, then its file); a GET goes ``back`` to
    the list."""

    @login_required
    def start(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return redirect(back)
        job = job_start(
            "export", request.user, export=export, params={"query": request.POST.get("query", "")}
        )
        return redirect("jobs:detail", pk=job.pk)

    return start
