"""Imports and exports stay in the caller's scope: a row outside it is a row error and nothing is written;
an export holds only what the caller may see."""

import datetime
import io
import zipfile

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from sanling.accounts.models import Profile
from sanling.accounts.scope import scope_for
from sanling.audit.models import AuditEntry
from sanling.conftest import write_csv
from sanling.events.models import Event
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.regions.models import Region
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

SUBJECT_HEADER = ["code", "name", "kind", "category", "region_code", "department_code", "joined_on"]
EVENT_HEADER = ["ref", "type", "subject_code", "occurred_on", "title"]


@pytest.fixture
def admins(personas):
    """County administrators of one town each (沙北 and 商桥), and of the education bureau."""
    users = {}
    for name, region, department in (
        ("admin_shabei", personas["shabei"], None),
        ("admin_shangqiao", personas["shangqiao"], None),
        ("admin_jiaoyu", None, personas["education"]),
    ):
        user = get_user_model().objects.create_user(username=name, password="pw-secret-123")
        Profile.objects.create(user=user, role="county_admin", region=region, department=department)
        users[name] = user
    return {**personas, **users}


def folder(tmp_path, name="bundle", **files):
    path = tmp_path / name
    for key, rows in files.items():
        write_csv(path, f"{key}.csv", rows)
    return path


def errors_as(user, path):
    writes = AuditEntry.objects.count()
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path, scope=scope_for(user))
    assert AuditEntry.objects.count() == writes  # nothing was written
    return [(error.file, error.row, error.column, error.message) for error in invalid.value.errors]


def test_a_town_administrator_placing_a_subject_in_another_town_gets_a_row_error(admins, tmp_path):
    rows = [SUBJECT_HEADER, ["U9", "东湾小学", "institution", "school", "411103100201", "JY", "2025-01-01"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, subjects=rows))
    assert error[:3] == ("subjects.csv", 2, "属地代码（region_code）")
    assert error[3] == "区划“411103100201”不在您的管辖范围（沙北街道）内，未导入任何数据。"
    assert not Subject.objects.filter(code="U9").exists()


def test_a_town_administrator_cannot_change_a_subject_of_another_town(admins, tmp_path):
    rows = [SUBJECT_HEADER, ["V2", "东湾村（改）", "village", "", "411103100201", "", "2025-03-03"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, subjects=rows))
    assert error[:3] == ("subjects.csv", 2, "编码（code）")
    assert Subject.objects.get(code="V2").name == "东湾村"


def test_a_town_administrator_cannot_move_a_region_of_another_town(admins, tmp_path):
    rows = [["code", "name", "level", "parent_code"], ["411103100201", "东湾村", "village", "411103001000"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, regions=rows))
    assert error[:3] == ("regions.csv", 2, "代码（code）")
    assert Region.objects.get(code="411103100201").parent.code == "411103100000"


def test_a_town_administrator_cannot_move_a_region_out_of_their_town(admins, tmp_path):
    rows = [["code", "name", "level", "parent_code"], ["411103001001", "金牛社区", "village", "411103100000"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, regions=rows))
    assert error[:3] == ("regions.csv", 2, "上级代码（parent_code）")
    assert Region.objects.get(code="411103001001").parent.code == "411103001000"


def test_events_on_subjects_of_another_town_are_row_errors(admins, tmp_path):
    rows = [EVENT_HEADER, ["E9", "criminal_case", "V2", "2025-04-01", "盗窃案"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, events=rows))
    assert error[:3] == ("events.csv", 2, "主体编码（subject_code）")
    assert error[3].startswith("主体“V2”不在您的管辖范围")


def test_a_record_of_another_town_cannot_be_taken_over_under_its_ref(admins, tmp_path):
    ref = admins["event_b"].ref
    rows = [EVENT_HEADER, [ref, "accident", "V1", "2025-04-01", "改到金牛"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, events=rows))
    assert error[:3] == ("events.csv", 2, "编号（ref）")
    assert Event.objects.get(ref=ref).subject.code == "U2"


def test_a_department_administrator_imports_neither_regions_nor_departments_nor_other_units(admins, tmp_path):
    path = folder(
        tmp_path,
        regions=[
            ["code", "name", "level", "parent_code"],
            ["411103001002", "新社区", "village", "411103001000"],
        ],
        departments=[["code", "name"], ["YJ", "应急局"], ["JY", "区教育局"]],
        subjects=[
            SUBJECT_HEADER,
            ["U9", "新工厂", "enterprise", "factory_mine", "411103100201", "YJ", "2025-01-01"],
        ],
    )
    errors = errors_as(admins["admin_jiaoyu"], path)
    assert [error[:3] for error in errors] == [
        ("regions.csv", 2, "代码（code）"),
        ("departments.csv", 2, "代码（code）"),
        ("subjects.csv", 2, "主管部门代码（department_code）"),
    ]


def test_a_town_administrator_imports_inside_their_town(admins, tmp_path):
    path = folder(
        tmp_path,
        regions=[
            ["code", "name", "level", "parent_code"],
            ["411103001002", "银牛社区", "village", "411103001000"],
        ],
        subjects=[SUBJECT_HEADER, ["V9", "银牛社区", "community", "", "411103001002", "", "2025-01-01"]],
        events=[EVENT_HEADER, ["E9", "criminal_case", "V1", "2025-04-01", "盗窃案"]],
    )
    result = bundle_import(path, scope=scope_for(admins["admin_shabei"]))
    assert [counts.created for counts in result.files.values()] == [1, 1, 1]


def test_the_import_screen_imports_in_the_users_scope(client, admins):
    client.force_login(admins["admin_shabei"])
    csv = "code,name,kind,category,region_code,department_code,joined_on\nU9,东湾小学,institution,school,411103100201,JY,2025-01-01\n"
    response = client.post(
        reverse("exchange:upload"), {"bundle": SimpleUploadedFile("subjects.csv", csv.encode())}, follow=True
    )
    assert "不在您的管辖范围（沙北街道）内" in response.content.decode()
    assert not response.context["job"].report["valid"]  # no confirmation is offered
    assert 'id="confirm-import"' not in response.content.decode()
    assert not Subject.objects.filter(code="U9").exists()


def test_the_import_command_as_a_user_imports_in_their_scope(admins, tmp_path):
    rows = [EVENT_HEADER, ["E9", "criminal_case", "V2", "2025-04-01", "盗窃案"]]
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(folder(tmp_path, events=rows)), "--as", "admin_shabei", stderr=err)
    assert "不在您的管辖范围" in err.getvalue()
    assert not Event.objects.filter(ref="E9").exists()


def test_the_import_command_as_a_user_is_audited_as_that_user(admins, tmp_path):
    rows = [EVENT_HEADER, ["E9", "criminal_case", "V1", "2025-04-01", "盗窃案"]]
    call_command("import", str(folder(tmp_path, events=rows)), "--as", "admin_shabei", stdout=io.StringIO())
    entry = AuditEntry.objects.get(object_type="event", object_key="E9")
    assert (entry.actor_name, entry.actor) == ("admin_shabei", admins["admin_shabei"])


def test_the_import_command_without_as_keeps_the_full_scope(admins, tmp_path):
    rows = [EVENT_HEADER, ["E9", "criminal_case", "V2", "2025-04-01", "盗窃案"]]
    call_command("import", str(folder(tmp_path, events=rows)), stdout=io.StringIO())
    assert Event.objects.filter(ref="E9", subject__code="V2").exists()


def test_the_import_command_refuses_a_user_who_administers_nothing(admins, tmp_path):
    with pytest.raises(CommandError, match="不是管理员"):
        call_command("import", str(folder(tmp_path, events=[EVENT_HEADER])), "--as", "town_a")


def exported(path) -> dict[str, list[str]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name.removesuffix(".csv"): archive.read(name).decode("utf-8-sig").splitlines()[1:]
            for name in archive.namelist()
        }


def test_an_export_in_a_towns_scope_holds_only_that_town(admins, tmp_path):
    bundle_export(tmp_path / "out.zip", scope=scope_for(admins["admin_shabei"]))
    files = exported(tmp_path / "out.zip")
    assert {row.split(",")[0] for row in files["subjects"]} == {"V1", "U1"}
    assert {row.split(",")[0] for row in files["regions"]} == {
        "411103001000",
        "411103001001",
        "411103001001001",
    }
    assert {row.split(",")[2] for row in files["events"]} == {"V1"}
    assert {row.split(",")[1] for row in files["disputes"]} == {"V1"}


def test_the_export_command_as_a_department_administrator_holds_only_its_units(admins, tmp_path):
    call_command("export", str(tmp_path / "out.zip"), "--as", "admin_jiaoyu", stdout=io.StringIO())
    files = exported(tmp_path / "out.zip")
    assert [row.split(",")[0] for row in files["subjects"]] == ["U1"]
    assert files["departments"] == ["JY,区教育局"]
    assert files["regions"] == [] and files["events"] == []


def test_a_town_administrator_may_list_the_regions_above_their_town_unchanged(admins, tmp_path):
    header = ["code", "name", "level", "parent_code"]
    unchanged = [header, ["411103000000", "郾城区", "county", "411100000000"]]
    result = bundle_import(folder(tmp_path, regions=unchanged), scope=scope_for(admins["admin_shabei"]))
    assert result.files["regions"].unchanged == 1
    renamed = [header, ["411103000000", "郾城县", "county", "411100000000"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, "renamed", regions=renamed))
    assert error[:3] == ("regions.csv", 2, "代码（code）")


def test_the_web_export_of_subjects_holds_only_the_users_scope(client, admins):
    from openpyxl import load_workbook

    client.force_login(admins["admin_shabei"])
    response = client.get(reverse("subjects:export"))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    cells = {str(cell) for row in sheet.values for cell in row if cell}
    assert {"V1", "U1"} <= cells
    assert not {"V2", "U2", "东湾村", "东湾食品厂"} & cells


# The case files of issue 17: petitions.csv, the case columns of disputes.csv and organisations.csv.

PETITION_HEADER = ["ref", "subject_code", "received_on", "channel", "summary", "level", "organisation_code"]
DISPUTE_HEADER = ["ref", "subject_code", "reported_on", "summary", "organisation_code"]


def test_a_petition_on_a_subject_of_another_town_is_a_row_error(admins, tmp_path):
    rows = [PETITION_HEADER, ["P9", "V2", "2025-04-01", "来访", "拖欠工资", "乡镇", ""]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, petitions=rows))
    assert error[:3] == ("petitions.csv", 2, "主体编码（subject_code）")
    assert error[3].startswith("主体“V2”不在您的管辖范围")


def test_a_petition_of_another_town_cannot_be_taken_over_under_its_ref(admins, casework, tmp_path):
    from sanling.petitions.services import petition_create

    petition = petition_create(
        subject=casework["dongwan_village"],
        received_on=datetime.date(2025, 4, 1),
        level="town",
        channel="visit",
        summary="东湾信访",
    )
    rows = [PETITION_HEADER, [petition.ref, "V1", "2025-04-01", "来访", "改到金牛", "乡镇", ""]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, petitions=rows))
    assert error[:3] == ("petitions.csv", 2, "编号（ref）")


def test_a_case_row_naming_an_organisation_of_another_town_is_a_row_error(admins, casework, tmp_path):
    disputes = [DISPUTE_HEADER, ["D9", "V1", "2025-04-01", "邻里纠纷", "SQ-MTZX"]]
    petitions = [PETITION_HEADER, ["P9", "V1", "2025-04-01", "来访", "拖欠工资", "县", "YC-XFJ"]]
    (error,) = errors_as(admins["admin_shabei"], folder(tmp_path, disputes=disputes, petitions=petitions))
    # The county's 信访局 stands above the town and may hold its petition; another town's centre may not.
    assert error == (
        "disputes.csv",
        2,
        "承办机构代码（organisation_code）",
        "机构“SQ-MTZX”不在您的管辖范围（沙北街道）内，未导入任何数据。",
    )


def test_a_town_administrator_imports_cases_inside_their_town(admins, casework, tmp_path):
    path = folder(
        tmp_path,
        organisations=[
            ["code", "name", "kind", "region_code", "department_code"],
            ["JN-ZZZX", "金牛社区综治中心", "comprehensive_centre", "411103001001", ""],
        ],
        disputes=[DISPUTE_HEADER, ["D9", "V1", "2025-04-01", "邻里纠纷", "JN-ZZZX"]],
        petitions=[PETITION_HEADER, ["P9", "V1", "2025-04-01", "来访", "拖欠工资", "乡镇", "SB-MTZX"]],
    )
    result = bundle_import(path, scope=scope_for(admins["admin_shabei"]))
    assert [counts.created for counts in result.files.values()] == [1, 1, 1]


def test_a_town_administrator_cannot_place_an_organisation_in_another_town(admins, casework, tmp_path):
    rows = [
        ["code", "name", "kind", "region_code", "department_code"],
        ["DW-ZZZX", "东湾村综治中心", "comprehensive_centre", "411103100201", ""],
        ["SQ-MTZX", "商桥镇矛调中心（改）", "mediation_centre", "411103001000", ""],
    ]
    errors = errors_as(admins["admin_shabei"], folder(tmp_path, organisations=rows))
    assert [error[:3] for error in errors] == [
        ("organisations.csv", 2, "属地代码（region_code）"),
        ("organisations.csv", 3, "代码（code）"),
    ]


def test_an_export_in_a_towns_scope_holds_only_that_towns_cases(admins, casework, tmp_path):
    from sanling.petitions.services import petition_create

    for subject in (casework["jinniu_village"], casework["dongwan_village"]):
        petition_create(
            subject=subject,
            received_on=datetime.date(2025, 4, 1),
            level="town",
            channel="visit",
            summary="信访",
        )
    bundle_export(tmp_path / "out.zip", scope=scope_for(admins["admin_shabei"]))
    files = exported(tmp_path / "out.zip")
    assert {row.split(",")[1] for row in files["petitions"]} == {"V1"}
    assert {row.split(",")[0] for row in files["organisations"]} == {"JN-TWH", "SB-MTZX"}


def test_a_department_administrator_names_only_their_departments_office(admins, casework, tmp_path):
    ok = [DISPUTE_HEADER, ["D9", "U1", "2025-04-01", "家校纠纷", "JY-OFFICE"]]
    result = bundle_import(folder(tmp_path, disputes=ok), scope=scope_for(admins["admin_jiaoyu"]))
    assert result.files["disputes"].created == 1
    other = [DISPUTE_HEADER, ["D8", "U1", "2025-04-01", "家校纠纷", "SB-MTZX"]]
    (error,) = errors_as(admins["admin_jiaoyu"], folder(tmp_path, "other", disputes=other))
    assert error[:3] == ("disputes.csv", 2, "承办机构代码（organisation_code）")
