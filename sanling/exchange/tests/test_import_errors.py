"""Every class of bad row is reported with file, row, column and a Chinese reason, and nothing is written."""

import pytest

from sanling.conftest import write_csv
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .conftest import DEPARTMENT_ROWS, REGION_ROWS, SUBJECT_ROWS

pytestmark = pytest.mark.django_db


def errors_of(path):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path)
    return invalid.value.errors


def replace_row(rows, index, **changes):
    header = rows[0]
    row = list(rows[index])
    for key, value in changes.items():
        row[header.index(key)] = value
    return [*rows[:index], row, *rows[index + 1 :]]


def test_unknown_parent_is_reported_at_its_row_and_column(bundle):
    (error,) = errors_of(bundle(regions=replace_row(REGION_ROWS, 4, parent_code="411103999000")))
    assert (error.file, error.row, error.column) == ("regions.csv", 5, "上级代码（parent_code）")
    assert "411103999000" in error.message and "未知" in error.message


def test_a_village_under_a_county_breaks_the_level_order(bundle):
    (error,) = errors_of(bundle(regions=replace_row(REGION_ROWS, 5, parent_code="411103000000")))
    assert (error.row, error.column) == (6, "层级（level）")
    assert "乡镇街道" in error.message or "乡镇" in error.message


def test_a_duplicate_code_points_at_the_first_occurrence(bundle):
    rows = [*REGION_ROWS, ["411103001000", "沙北街道（重复）", "town", "411103000000"]]
    (error,) = errors_of(bundle(regions=rows))
    assert (error.row, error.column) == (8, "代码（code）")
    assert "第 5 行" in error.message


def test_a_bad_credit_code_is_rejected(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 2, uscc="91411100MA3X4Y5Q65")))
    assert (error.file, error.row, error.column) == ("subjects.csv", 3, "统一社会信用代码（uscc）")
    assert "统一社会信用代码" in error.message


def test_a_bad_date_is_rejected_with_the_expected_format(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 1, joined_on="2021-02-30")))
    assert (error.row, error.column) == (2, "纳入创建日期（joined_on）")
    assert "YYYY-MM-DD" in error.message


def test_an_unknown_department_is_rejected(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 3, department_code="XX")))
    assert (error.row, error.column) == (4, "主管部门代码（department_code）")
    assert "XX" in error.message


def test_an_unknown_kind_lists_the_allowed_values(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 1, kind="合作社")))
    assert error.column == "类型（kind）"
    assert "村、社区、企业、事业单位" in error.message


def test_an_unknown_category_is_rejected(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 2, category="网吧")))
    assert (error.row, error.column) == (3, "类别（category）")


def test_a_unit_without_category_is_rejected(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 2, category="")))
    assert (error.row, error.column) == (3, "类别（category）")


def test_a_village_must_stand_for_a_village_node(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 1, region_code="411103001000")))
    assert error.column == "属地代码（region_code）"


def test_a_bad_phone_is_rejected(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 1, contact_phone="12345")))
    assert error.column == "联系电话（contact_phone）"


def test_a_missing_required_column_is_reported_once_for_the_file(bundle):
    subjects = [row[:-2] + row[-1:] for row in SUBJECT_ROWS]  # drop joined_on
    (error,) = errors_of(bundle(subjects=subjects))
    assert (error.file, error.row, error.column) == ("subjects.csv", 1, "纳入创建日期（joined_on）")
    assert "缺少" in error.message


def test_a_file_not_in_utf8_is_rejected(bundle, tmp_path):
    path = bundle()
    write_csv(path, "departments.csv", DEPARTMENT_ROWS, encoding="gbk")
    (error,) = errors_of(path)
    assert error.file == "departments.csv"
    assert "UTF-8" in error.message


def test_every_bad_row_is_reported_at_once(bundle):
    subjects = replace_row(replace_row(SUBJECT_ROWS, 1, kind="?"), 3, joined_on="昨天")
    regions = replace_row(REGION_ROWS, 4, parent_code="999999999999")
    errors = errors_of(bundle(regions=regions, subjects=subjects))
    assert {(error.file, error.row) for error in errors} == {
        ("regions.csv", 5),
        ("subjects.csv", 2),
        ("subjects.csv", 4),
    }


def test_an_error_in_the_last_row_leaves_the_database_unchanged(bundle):
    rows = replace_row(SUBJECT_ROWS, len(SUBJECT_ROWS) - 1, uscc="NOT-A-CODE")
    errors_of(bundle(subjects=rows))
    assert Region.objects.count() == 0
    assert Subject.objects.count() == 0


def test_an_error_in_the_last_row_leaves_earlier_data_untouched(bundle):
    bundle_import(bundle())
    renamed = replace_row(REGION_ROWS, 4, name="沙北街道（改名）")
    bad = replace_row(SUBJECT_ROWS, 3, department_code="NOPE")
    errors_of(bundle(regions=renamed, subjects=bad, folder="second"))
    assert Region.objects.get(code="411103001000").name == "沙北街道"


def test_a_messages_names_file_row_and_column_in_chinese(bundle):
    (error,) = errors_of(bundle(subjects=replace_row(SUBJECT_ROWS, 2, category="网吧")))
    assert str(error).startswith("subjects.csv 第 3 行 类别（category）：")


def test_a_csv_field_over_128_kb_is_a_chinese_row_error(bundle):
    rows = replace_row(SUBJECT_ROWS, 2, address="北" * 140_000)
    (error,) = errors_of(bundle(subjects=rows))
    assert (error.file, error.row) == ("subjects.csv", 3)
    assert "无法读取" in error.message
