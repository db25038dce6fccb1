import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.exchange.importer import bundle_import
from sanling.exchange.schema import FILES
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

CSV = "code,name,kind,category,region_code,department_code,joined_on\nU9,新学校,institution,school,411103001000,JY,2025-01-01\n"


def check(client, name: str, data: bytes):
    """Upload a bundle: its dry run runs as a job (at once under the tests) and the job's page answers."""
    return client.post(reverse("exchange:upload"), {"bundle": SimpleUploadedFile(name, data)}, follow=True)


def test_the_import_screen_checks_first_and_writes_only_on_confirmation(client, personas):
    client.force_login(personas["admin_user"])
    response = check(client, "subjects.csv", CSV.encode())
    assert "检查通过" in response.content.decode()
    assert not Subject.objects.filter(code="U9").exists()
    client.post(reverse("exchange:confirm"), {"job": response.context["job"].pk})
    assert Subject.objects.filter(code="U9").exists()


def test_a_forged_job_imports_nothing(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(reverse("exchange:confirm"), {"job": "../../etc/passwd"}, follow=True)
    assert "上传的文件已失效" in response.content.decode()


def test_only_administrators_import(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("exchange:upload")).status_code == 403


def test_the_plan_and_the_result_name_the_files_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    response = check(client, "subjects.csv", CSV.encode())
    assert "<td>创建主体</td>" in response.content.decode()
    assert "<td>subjects</td>" not in response.content.decode()
    done = client.post(reverse("exchange:confirm"), {"job": response.context["job"].pk}, follow=True)
    assert "创建主体：新增 1，更新 0，未变 0" in done.content.decode()


def test_an_import_is_audited_under_the_name_of_the_uploaded_file(client, personas):
    client.force_login(personas["admin_user"])
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("subjects.csv", CSV)
    response = check(client, "三月新主体.zip", archive.getvalue())
    client.post(reverse("exchange:confirm"), {"job": response.context["job"].pk})
    assert AuditEntry.objects.get(object_type="subject", object_key="U9").note == "导入 三月新主体.zip"


def test_the_import_screen_offers_an_empty_bundle_with_chinese_headers_and_an_example_row(client, personas):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("exchange:upload")).content.decode()
    assert reverse("exchange:template") in page
    response = client.get(reverse("exchange:template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert workbook.sheetnames == [
        "区划",
        "部门",
        "机构",
        "主体",
        "隐患",
        "事件",
        "纠纷",
        "信访",
        "片区",
        "岗位",
        "户数",
        "走访",
        "重点人员",
    ]
    for spec in FILES:
        rows = list(workbook[spec.chinese].values)
        assert list(rows[0]) == [column.chinese for column in spec.columns]
        assert len(rows) == 2


def test_the_empty_bundle_checks_clean_against_a_county(client, personas, tmp_path):
    client.force_login(personas["admin_user"])
    path = tmp_path / "template.xlsx"
    path.write_bytes(client.get(reverse("exchange:template")).content)
    result = bundle_import(path, dry_run=True)
    assert {
        key: counts.created + counts.updated + counts.unchanged for key, counts in result.files.items()
    } == {
        "regions": 1,
        "departments": 1,
        "organisations": 1,
        "subjects": 1,
        "events": 1,
        "disputes": 1,
        "petitions": 1,
        "sectors": 1,
        "posts": 1,
        "hazards": 1,
        "households": 1,
        "visits": 1,
        "key_people": 1,
    }


def test_only_administrators_download_the_empty_bundle(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("exchange:template")).status_code == 403


def test_the_import_screen_takes_petitions_and_names_the_file_in_chinese(client, casework):
    client.force_login(casework["admin_user"])
    petitions = "ref,subject_code,received_on,channel,summary,level\nP9,V1,2025-04-01,来访,拖欠工资,乡镇\n"
    response = client.post(
        reverse("exchange:upload"),
        {"bundle": SimpleUploadedFile("petitions.csv", petitions.encode())},
        follow=True,
    )
    check = response.context["job"]
    assert check.report["files"][0]["label"] == "信访"
    done = client.post(reverse("exchange:confirm"), {"job": check.pk}, follow=True)
    assert "信访：新增 1，更新 0，未变 0" in done.context["job"].message
