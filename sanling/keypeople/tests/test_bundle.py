"""key_people.csv: imported through the services (encrypted at rest), atomic, idempotent, with a dry run; an
exported file masks identities unless the exporting role may unmask and gives a reason (then audited)."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from sanling.audit.models import AuditEntry
from sanling.keypeople.importer import key_people_import
from sanling.keypeople.models import KeyPerson

from .conftest import ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db

HEADER = "编号（ref）,区划代码（region_code）,类别（category）,风险等级（risk_level）,姓名（name）,身份证号码（id_number）,联系电话（phone）,住址（address）,列管日期（registered_on）\n"
KEY_PEOPLE_ROW_4 = "key_people.csv 第 4 行 身份证号码："
ROWS = (
    "KP-I1,411103001001,精神障碍患者,高,张三丰,110105198811051231,13700001234,金牛社区一号,2025-01-02\n"
    "KP-I2,411103001001,community_correction,低,李四,,,,2025-01-02\n"
)


def test_an_import_creates_the_persons_encrypted_at_rest(personas):
    report = key_people_import(actor=None, text=HEADER + ROWS)
    assert (report.created, report.errors) == (2, [])
    person = KeyPerson.objects.get(ref="KP-I1")
    assert person.category == "mental_disorder" and person.risk_level == "high" and person.name == "张三丰"
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, id_number, phone FROM keypeople_keyperson WHERE ref = 'KP-I1'")
        stored = cursor.fetchone()
    assert all(value.startswith("A.") for value in stored) and "张三丰" not in str(stored)


def test_the_same_file_twice_changes_nothing(personas):
    key_people_import(actor=None, text=HEADER + ROWS)
    entries = AuditEntry.objects.count()
    report = key_people_import(actor=None, text=HEADER + ROWS)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert AuditEntry.objects.count() == entries


def test_a_changed_row_updates_the_person_in_place(personas):
    key_people_import(actor=None, text=HEADER + ROWS)
    report = key_people_import(actor=None, text=HEADER + ROWS.replace(",高,", ",中,"))
    assert (report.updated, report.unchanged) == (1, 1)
    assert KeyPerson.objects.get(ref="KP-I1").risk_level == "medium"


def test_one_bad_row_writes_nothing_and_names_the_row_without_the_number(personas):
    bad = ROWS + "KP-I3,411103001001,吸毒人员,中,王五,110105198811051232,,,2025-01-02\n"
    report = key_people_import(actor=None, text=HEADER + bad)
    assert not KeyPerson.objects.exists()
    assert len(report.errors) == 1 and report.errors[0].startswith(KEY_PEOPLE_ROW_4)
    assert "110105198811051232" not in report.errors[0] and "身份证" in report.errors[0]


def test_a_dry_run_writes_nothing(personas):
    report = key_people_import(actor=None, text=HEADER + ROWS, dry_run=True)
    assert report.created == 2 and not report.errors and not KeyPerson.objects.exists()


def test_a_town_operator_cannot_import_into_another_town(personas):
    rows = "KP-X,411103100201,吸毒人员,中,外镇,,,,2025-01-02\n"
    report = key_people_import(actor=personas["town_a"], text=HEADER + rows)
    assert report.errors and not KeyPerson.objects.exists()


def test_an_exported_masked_file_reimports_without_changing_the_identity(client, people):
    client.force_login(people["town_a"])
    content = client.get(reverse("keypeople:export_csv")).content.decode("utf-8-sig")
    assert NAME not in content and "欧阳**" in content
    report = key_people_import(actor=people["town_a"], text=content)
    assert report.errors == [] and report.unchanged == 1
    person = KeyPerson.objects.get(ref="KP-A")
    assert (person.name, person.id_number, person.phone) == (NAME, ID_NUMBER, PHONE)


def test_the_command_imports_with_a_dry_run_and_exports_masked(personas, tmp_path):
    source = tmp_path / "key_people.csv"
    source.write_text(HEADER + ROWS, encoding="utf-8")
    out = io.StringIO()
    call_command("key_people", "import", str(source), "--dry-run", stdout=out)
    assert "未写入" in out.getvalue() and not KeyPerson.objects.exists()
    call_command("key_people", "import", str(source), stdout=out)
    assert KeyPerson.objects.count() == 2
    target = tmp_path / "out.csv"
    call_command("key_people", "export", str(target), stdout=out)
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert len(rows) == 3 and "张三丰" not in str(rows) and "张**" in str(rows)
    call_command("key_people", "export", str(target), "--reason", "上报核查", stdout=out)
    assert "张三丰" in target.read_text(encoding="utf-8-sig")
    assert AuditEntry.objects.filter(verb="personal.unmasked", note__contains="上报核查").exists()


def test_the_command_refuses_a_bad_file_and_writes_nothing(personas, tmp_path):
    source = tmp_path / "key_people.csv"
    source.write_text(HEADER + "KP-Z,999,精神障碍患者,中,某,,,,2025-01-02\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("key_people", "import", str(source))
    assert not KeyPerson.objects.exists()
