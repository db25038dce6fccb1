"""Good bundles: formats, headers, idempotence, updates in place and the round trip."""

import datetime
import shutil
import zipfile

import pytest
from openpyxl import Workbook

from sanling.conftest import write_csv
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.exchange.schema import FILES
from sanling.regions.models import Region
from sanling.subjects.models import Subject
from sanling.work.models import WorkItem

from .conftest import DEPARTMENT_ROWS, REGION_ROWS, SUBJECT_ROWS

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "regions": list(
            Region.objects.order_by("code").values_list("code", "name", "level", "parent__code", "path")
        ),
        "events": list(
            Event.objects.order_by("ref").values_list(
                "ref",
                "type",
                "subject__code",
                "occurred_on",
                "title",
                "petition_level",
                "higher_authority_required",
                "collective",
                "accident_grade",
                "deaths",
                "injuries",
                "status",
            )
        ),
        "disputes": list(
            Dispute.objects.order_by("ref").values_list(
                "ref",
                "subject__code",
                "reported_on",
                "category",
                "summary",
                "status",
                "resolved_level",
                "resolved_on",
                "method",
            )
        ),
        "subjects": list(
            Subject.objects.order_by("code").values_list(
                "code",
                "name",
                "kind",
                "category",
                "region__code",
                "department__code",
                "uscc",
                "address",
                "contact_name",
                "contact_phone",
                "joined_on",
                "retired_on",
            )
        ),
    }


def test_a_folder_bundle_creates_every_row(bundle):
    result = bundle_import(bundle())
    assert {name: counts.created for name, counts in result.files.items()} == {
        "regions": 6,
        "departments": 2,
        "subjects": 3,
        "events": 4,
        "disputes": 2,
    }
    school = Subject.objects.get(code="U0001")
    assert school.region.code == "411103001001001"
    assert school.joined_on == datetime.date(2021, 3, 5)
    assert school.contact_phone == "03953312345"


def test_paths_are_built_for_new_regions(bundle):
    bundle_import(bundle())
    grid = Region.objects.get(code="411103001001001")
    assert grid.path == "/410000000000/411100000000/411103000000/411103001000/411103001001/411103001001001/"
    assert grid.depth == 5


def test_the_same_bundle_twice_changes_nothing(bundle):
    path = bundle()
    bundle_import(path)
    before = snapshot()
    result = bundle_import(path)
    assert not result.changed
    assert all(counts.unchanged for counts in result.files.values())
    assert snapshot() == before


def test_a_changed_row_updates_in_place_by_code(bundle):
    bundle_import(bundle())
    school_id = Subject.objects.get(code="U0001").pk
    rows = [list(row) for row in SUBJECT_ROWS]
    rows[2][1] = "郾城区第一实验小学"
    result = bundle_import(bundle(subjects=rows, folder="changed"))
    assert (result.files["subjects"].updated, result.files["subjects"].unchanged) == (1, 2)
    school = Subject.objects.get(code="U0001")
    assert (school.pk, school.name, school.version) == (school_id, "郾城区第一实验小学", 2)


def test_a_dry_run_reports_changes_and_writes_nothing(bundle):
    result = bundle_import(bundle(), dry_run=True)
    assert result.files["subjects"].created == 3
    assert Region.objects.count() == 0


def test_chinese_headers_and_values_are_accepted(bundle):
    regions = [["代码", "名称", "层级", "上级代码"]] + [
        [
            code,
            name,
            {
                "province": "省",
                "city": "市",
                "county": "县区",
                "town": "乡镇街道",
                "village": "村社区",
                "grid": "网格",
            }[level],
            parent,
        ]
        for code, name, level, parent in REGION_ROWS[1:]
    ]
    subjects = [
        [
            "编码",
            "名称",
            "类型",
            "类别",
            "属地代码",
            "主管部门代码",
            "统一社会信用代码",
            "地址",
            "负责人",
            "联系电话",
            "纳入创建日期",
            "退出日期",
        ]
    ]
    subjects += [["V0001", "金牛社区", "社区", "", "411103001001", "", "", "", "", "", "2021-01-01", ""]]
    subjects += [
        [
            "U0001",
            "郾城区实验小学",
            "事业单位",
            "学校",
            "411103001001",
            "JY",
            "",
            "",
            "",
            "",
            "2021年3月5日",
            "",
        ]
    ]
    events = [
        [
            "编号",
            "类型",
            "主体编码",
            "发生日期",
            "标题",
            "信访层级",
            "须由上级解决",
            "集体访",
            "事故等级",
            "死亡人数",
            "受伤人数",
            "状态",
        ],
        ["E1", "信访", "V0001", "2021-05-03", "信访", "县", "否", "是", "", "", "", "处理中"],
    ]
    disputes = [
        ["编号", "主体编码", "登记日期", "类别", "简述", "状态", "化解层级", "化解日期", "调解方式"],
        ["D1", "V0001", "2021-03-01", "邻里纠纷", "边界", "已化解", "组", "2021/3/9", "人民调解"],
    ]
    bundle_import(
        bundle(
            regions=regions,
            departments=[["代码", "名称"], ["JY", "区教育局"]],
            subjects=subjects,
            events=events,
            disputes=disputes,
        )
    )
    assert Subject.objects.get(code="U0001").category == "school"
    assert Event.objects.get(ref="E1").collective is True
    assert Dispute.objects.get(ref="D1").resolved_level == "group"
    assert Region.objects.get(code="411103001001001").level == "grid"


def test_a_csv_with_a_byte_order_mark_is_accepted(bundle):
    path = bundle()
    write_csv(path, "departments.csv", DEPARTMENT_ROWS, encoding="utf-8-sig")
    assert bundle_import(path).files["departments"].created == 2


def test_a_zip_bundle_is_read(bundle, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "county"), "zip", bundle())
    assert bundle_import(archive).files["subjects"].created == 3


def test_a_zip_with_the_files_in_a_folder_is_read(bundle, tmp_path):
    folder = bundle()
    path = tmp_path / "nested.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for item in folder.iterdir():
            archive.write(item, f"郾城区/{item.name}")
    assert bundle_import(path).files["regions"].created == 6


def test_an_xlsx_workbook_with_one_sheet_per_file_is_read(tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in (("区划", REGION_ROWS), ("departments", DEPARTMENT_ROWS), ("subjects", SUBJECT_ROWS)):
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    # Codes and dates typed into Excel arrive as numbers and dates, not text.
    workbook["区划"]["A2"] = 410000000000
    workbook["subjects"]["K2"] = datetime.datetime(2021, 1, 1)  # noqa: DTZ001 - Excel cells hold naive datetimes
    path = tmp_path / "county.xlsx"
    workbook.save(path)
    result = bundle_import(path)
    assert result.files["subjects"].created == 3
    assert Region.objects.filter(code="410000000000").exists()


def test_a_bad_row_in_a_workbook_is_reported_by_sheet_and_row(tmp_path):
    workbook = Workbook()
    workbook.remove(workbook.active)
    sheet = workbook.create_sheet("regions")
    for row in [*REGION_ROWS, ["411103002000", "城关镇", "town", "999"]]:
        sheet.append(row)
    path = tmp_path / "bad.xlsx"
    workbook.save(path)
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path)
    (error,) = invalid.value.errors
    assert (error.file, error.row) == ("regions", 8)


@pytest.mark.parametrize("suffix", ["", ".zip", ".xlsx"])
def test_export_then_import_round_trips(bundle, tmp_path, suffix):
    bundle_import(bundle())
    before = snapshot()
    exported = tmp_path / f"export{suffix}"
    bundle_export(exported)
    Event.objects.all().delete()
    Dispute.objects.all().delete()
    WorkItem.objects.all().delete()
    Subject.objects.all().delete()
    for depth in range(5, -1, -1):
        Region.objects.filter(depth=depth).delete()
    result = bundle_import(exported)
    assert snapshot() == before
    assert not bundle_import(exported).changed
    assert result.files["regions"].created == 6


def test_export_with_chinese_headers_round_trips(bundle, tmp_path):
    bundle_import(bundle())
    bundle_export(tmp_path / "cn", chinese_headers=True)
    header = (tmp_path / "cn" / "subjects.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("编码,名称,类型")
    assert not bundle_import(tmp_path / "cn").changed


def test_every_file_of_the_format_is_exported(bundle, tmp_path):
    bundle_import(bundle())
    bundle_export(tmp_path / "out")
    assert sorted(item.name for item in (tmp_path / "out").iterdir()) == sorted(
        [*(spec.filename for spec in FILES), "manifest.json"]
    )


def test_moving_a_region_by_import_keeps_its_history(bundle):
    bundle_import(bundle())
    regions = [*REGION_ROWS, ["411103100000", "商桥镇", "town", "411103000000"]]
    regions[5] = ["411103001001", "金牛社区", "village", "411103100000"]
    result = bundle_import(bundle(regions=regions, folder="moved"))
    assert result.files["regions"].updated == 1
    village = Region.objects.get(code="411103001001")
    assert village.parent.code == "411103100000"
    assert village.history.get().path.endswith("/411103001000/411103001001/")
