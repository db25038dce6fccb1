"""重点人群台账 (Excel) and ``key_people.csv``: exactly the filtered rows, identities masked unless the exporting
user may unmask and gives a reason, and then the whole export is one audited read
(``personal_unmask_export``, through ``petitions.exports.ledger_response`` for the workbook)."""

import csv
import io
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import request_scope
from sanling.audit.services import audit_export, audit_note
from sanling.core.record_lists import Column
from sanling.core.workbooks import csv_row
from sanling.exchange.schema import KEY_PEOPLE
from sanling.personal.access import may_unmask
from sanling.personal.fields import exported_fields, masked
from sanling.personal.services import personal_unmask_export
from sanling.petitions.exports import ledger_response

from .selectors import is_overdue
from .services import category_labels

LEDGER = "重点人群台账"
IDENTITY = ("name", "id_number", "phone", "address")
RISK_CHINESE = {"low": "低", "medium": "中", "high": "高"}


def _day(value) -> str:
    return value.isoformat() if value else ""


def _person(full: bool, name: str) -> Callable:
    return lambda record: (getattr(record, name) or "") if full else masked(record, name)


def ledger_rows(rows: QuerySet) -> QuerySet:
    """The rows a ledger writes: with their visit count, ordered by ref (no query per row)."""
    return rows.annotate(visit_count=Count("visits")).order_by("ref")


def ledger_columns(full: bool) -> list[Column]:
    today = timezone.localdate()
    labels = category_labels()
    return [
        Column("编号", lambda p: p.ref),
        Column("所在村（社区）/网格", lambda p: p.region.name),
        Column("区划代码", lambda p: p.region.code),
        Column("类别", lambda p: labels.get(p.category, p.category)),
        Column("风险等级", lambda p: RISK_CHINESE.get(p.risk_level, p.risk_level)),
        Column("姓名", _person(full, "name")),
        Column("身份证号码", _person(full, "id_number")),
        Column("联系电话", _person(full, "phone")),
        Column("住址", _person(full, "address")),
        Column(
            "责任人", lambda p: p.handler.get_full_name() or p.handler.get_username() if p.handler else ""
        ),
        Column("列管日期", lambda p: _day(p.registered_on)),
        Column("在管", lambda p: "是" if p.active else "否"),
        Column("下次回访", lambda p: _day(p.case.due_on) if p.active else ""),
        Column("是否逾期", lambda p: "是" if is_overdue(p, today) else "否"),
        Column("回访次数", lambda p: p.visit_count if hasattr(p, "visit_count") else p.visits.count()),
    ]


# key_people.csv: the columns of the bundle file (key, Chinese name), the exchange bundle's ``KEY_PEOPLE``
# spec: one file for ``sanling key_people`` and the bundle. Documented in docs/_fragments/keypeople.md and
# kpbundle.md; the Chinese names are part of the format.
CSV_COLUMNS = [(column.key, column.chinese) for column in KEY_PEOPLE.columns]


def post_labels() -> dict[str, str]:
    """Post type code -> its label (网格员 …), read once per export."""
    from sanling.dictionary.models import Entry, EntryType

    return dict(Entry.objects.filter(type=EntryType.POST_TYPE).values_list("code", "label"))


def post_cell(post, labels: dict[str, str]) -> str:
    """The responsible post as a cell: "<岗位> <姓名>", which the importers read back."""
    return f"{labels.get(post.post_type, post.post_type)} {post.holder_name}" if post is not None else ""


def row_cells(person, full: bool, labels: dict[str, str] | None = None) -> list:
    """The cells of one person's row, identities in clear only when ``full`` (else their masks); written
    by the CSV here and by the bundle exporter. ``labels``: ``post_labels()``, read once by the caller."""
    value = {
        "post": post_cell(person.post, labels if labels is not None else post_labels()),
        "ref": person.ref,
        "region_code": person.region.code,
        "category": person.category,
        "risk_level": person.risk_level,
        "handler": person.handler.get_username() if person.handler else "",
        "registered_on": _day(person.registered_on),
        "active": "是" if person.active else "否",
        "note": person.note,
    }
    for name in IDENTITY:
        value[name] = (getattr(person, name) or "") if full else masked(person, name)
    return [value[key] for key, _chinese in CSV_COLUMNS]


def csv_values(person, full: bool, labels: dict[str, str] | None = None) -> list:
    return csv_row(row_cells(person, full, labels))


def csv_write(rows: Iterable, out, *, full: bool) -> int:
    writer = csv.writer(out)
    writer.writerow([f"{chinese}（{key}）" for key, chinese in CSV_COLUMNS])
    written = 0
    labels = post_labels()
    for person in rows:
        writer.writerow(csv_values(person, full, labels))
        written += 1
    return written


def _without_reason_if_empty(request: HttpRequest, filterset) -> None:
    """An export of no rows reads no one's identity: its reason is dropped, so no read is audited."""
    if "reason" in request.GET and (not filterset.is_valid() or not filterset.qs.exists()):
        query = request.GET.copy()
        query.pop("reason")
        request.GET = query


def key_people_ledger(request: HttpRequest, filterset) -> HttpResponse:
    _without_reason_if_empty(request, filterset)
    return ledger_response(
        request,
        filterset=filterset,
        sheet=LEDGER,
        columns=ledger_columns,
        filename="key_people",
        personal_model="keyperson",
    )


def key_people_csv(request: HttpRequest, filterset) -> HttpResponse:
    """``key_people.csv`` of the filtered rows; identities in clear only with a reason for a role that may
    unmask (one audited read), else masked (a masked file re-imported keeps the stored identities)."""
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(
            _("Nothing was exported: %(problems)s") % {"problems": "；".join(filterset.errors.keys())},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    scope = request_scope(request)
    rows = filterset.qs.select_related("post")
    count = rows.count()
    region_path = scope.region.path if scope.region else ""
    reason = request.GET.get("reason", "").strip()
    full = bool(reason) and may_unmask(scope) and count > 0
    if full:
        try:
            personal_unmask_export(
                user=request.user,
                model=rows.model,
                count=count,
                reason=reason,
                region_path=region_path,
                what=audit_note("CSV export of %(count)s rows of %(ledger)s", count=count, ledger=LEDGER),
            )
        except ValidationError as error:
            return HttpResponse(
                " ".join(error.messages), content_type="text/plain; charset=utf-8", status=400
            )
    buffer = io.StringIO()
    written = csv_write(rows.iterator(chunk_size=2000), buffer, full=full)
    query = request.GET.copy()
    query.pop("reason", None)
    audit_export(
        what="key_people",
        region_path=region_path,
        rows={"key_people": written},
        file_format="csv",
        personal_fields=exported_fields("keyperson", clear=full),
        filters=query.urlencode(),
    )
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="key_people-{timezone.localdate():%Y%m%d}.csv"'
    return response
