"""The web's Excel exports (subjects, events, disputes) and the rates CSV: formula text stays text, numbers
stay numbers, every workbook says who exported it, when and over what scope, and every export is audited
with what it held (issue 14, item 9)."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.disputes.services import dispute_create
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.com/?q="&A1,"点我")'
DAY = datetime.date(2025, 3, 3)


def workbook_of(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def risky_cells(workbook) -> list:
    return [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
        or (isinstance(cell.value, str) and cell.value.startswith(("=", "+", "-", "@")))
    ]


def test_the_subject_export_writes_a_formula_name_as_a_text_cell(client, personas):
    subject_create(
        code="U9",
        name=FORMULA,
        kind="enterprise",
        category="factory_mine",
        department=personas["safety"],
        region=personas["jinniu"],
        joined_on=DAY,
    )
    client.force_login(personas["admin_user"])
    cells = risky_cells(workbook_of(client.get(reverse("subjects:export"))))
    assert [cell.value for cell in cells] == [FORMULA]
    assert cells[0].data_type == "s" and cells[0].quotePrefix


def test_the_dispute_export_writes_a_formula_summary_as_a_text_cell(client, personas):
    dispute_create(subject=personas["jinniu_village"], reported_on=DAY, summary="=1+1")
    client.force_login(personas["admin_user"])
    cells = risky_cells(workbook_of(client.get(reverse("disputes:export"))))
    assert [(cell.value, cell.data_type) for cell in cells] == [("=1+1", "s")]


def test_the_event_export_keeps_counts_as_numbers(client, personas):
    client.force_login(personas["admin_user"])
    sheet = workbook_of(client.get(reverse("events:export"))).active
    header = [cell.value for cell in next(sheet.iter_rows())]
    deaths = [row[header.index("死亡人数")] for row in sheet.iter_rows(min_row=2)]
    assert deaths and all(cell.data_type == "n" for cell in deaths)


def test_the_event_export_carries_who_when_and_scope(client, personas):
    client.force_login(personas["town_a"])
    workbook = workbook_of(client.get(reverse("events:export")))
    assert workbook.properties.creator == "town_a"
    assert workbook.properties.subject == "沙北街道（411103001000）及下级"
    mark = dict(workbook["导出说明"].iter_rows(values_only=True))
    assert mark["导出人"] == "town_a" and mark["导出时间"] and mark["数据范围"].startswith("沙北街道")
    assert "town_a" in workbook["事件"].oddHeader.center.text


def test_the_subject_export_carries_who_when_and_scope(client, personas):
    client.force_login(personas["dept"])
    workbook = workbook_of(client.get(reverse("subjects:export")))
    assert workbook.properties.creator == "dept"
    assert "区教育局" in dict(workbook["导出说明"].iter_rows(values_only=True))["数据范围"]


def test_the_subject_export_is_audited_with_its_personal_fields(client, personas):
    client.force_login(personas["town_a"])
    client.get(reverse("subjects:export"), {"kind": "institution"})
    entry = AuditEntry.objects.get(action="export")
    assert (entry.actor_name, entry.verb, entry.region_path) == (
        "town_a",
        "export.subjects",
        personas["shabei"].path,
    )
    after = entry.changes["after"]
    assert after["rows"] == {"subjects": 1} and after["filters"] == "kind=institution"
    assert after["personal_fields"] == ["contact_name_masked", "contact_phone_masked"]  # no reason given


def test_the_event_export_is_audited(client, personas):
    client.force_login(personas["admin_user"])
    client.get(reverse("events:export"))
    entry = AuditEntry.objects.get(action="export")
    assert entry.verb == "export.events" and entry.changes["after"]["rows"] == {"events": 2}


def test_the_dispute_export_is_audited(client, personas):
    client.force_login(personas["town_b"])
    client.get(reverse("disputes:export"))
    entry = AuditEntry.objects.get(action="export")
    assert entry.verb == "export.disputes" and entry.changes["after"]["rows"] == {"disputes": 1}


def test_a_refused_export_is_not_audited(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("events:export"), {"region": personas["shangqiao"].code}).status_code == 400
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_rates_csv_writes_a_formula_region_name_behind_an_apostrophe(personas):
    region_create(code="411103200000", name="=1+1", level=Level.TOWN, parent=personas["county"])
    out = io.StringIO()
    call_command(
        "rates",
        "--region",
        "411103000000",
        "--period",
        "2025",
        "--by",
        "child",
        "--format",
        "csv",
        stdout=out,
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert "'=1+1" in [row["region_name"] for row in rows]
    assert not [value for row in rows for value in row.values() if value.startswith(("=", "+", "@"))]
