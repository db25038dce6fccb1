"""visits.csv and households.csv: imported atomically and idempotently, dry-run, Chinese row errors, and
exported so that export -> import round-trips."""

import datetime

import pytest

from sanling.accounts.scope import scope_for
from sanling.conftest import write_csv
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.visits.models import HouseholdCount, HouseholdVisit
from sanling.visits.services import household_visit_create

pytestmark = pytest.mark.django_db
VISIT_HEADER = [
    "ref",
    "region_code",
    "household",
    "visited_on",
    "theme",
    "persons_met",
    "visitor_name",
    "findings",
]
COUNT_HEADER = ["region_code", "as_of", "households", "residents", "note"]


def bundle(tmp_path, visits=(), counts=()):
    folder = tmp_path / "bundle"
    if visits:
        write_csv(folder, "visits.csv", [VISIT_HEADER, *visits])
    if counts:
        write_csv(folder, "households.csv", [COUNT_HEADER, *counts])
    return folder


GOOD_VISITS = [
    ["HV1", "411103001001", "3组 12号", "2025-03-03", "六促六防", "2", "张三", ""],
    ["HV2", "411103001001001", "5号", "2025-03-04", "publicity", "", "", "屋顶漏雨"],
]
GOOD_COUNTS = [
    ["411103001001", "2025-01-01", "860", "2410", ""],
    ["411103100201", "2025-01-01", "500", "", ""],
]


def test_it_imports_visits_and_counts(personas, tmp_path):
    result = bundle_import(bundle(tmp_path, GOOD_VISITS, GOOD_COUNTS))
    assert (result.files["visits"].created, result.files["households"].created) == (2, 2)
    first = HouseholdVisit.objects.get(ref="HV1")
    assert (first.household, first.theme, first.persons_met) == ("3组12号", "six_promotions", 2)
    assert HouseholdVisit.objects.get(ref="HV2").persons_met == 1  # left empty: one person
    assert HouseholdCount.objects.get(region=personas["jinniu"]).residents == 2410


def test_importing_the_same_file_again_changes_nothing(personas, tmp_path):
    folder = bundle(tmp_path, GOOD_VISITS, GOOD_COUNTS)
    bundle_import(folder)
    again = bundle_import(folder)
    assert (again.files["visits"].unchanged, again.files["households"].unchanged) == (2, 2)
    assert not again.changed


def test_a_changed_row_updates_the_record_and_its_version(personas, tmp_path):
    bundle_import(bundle(tmp_path, GOOD_VISITS))
    changed = [GOOD_VISITS[0][:5] + ["4", "张三", ""], GOOD_VISITS[1]]
    result = bundle_import(bundle(tmp_path / "2", changed))
    assert result.files["visits"].updated == 1
    visit = HouseholdVisit.objects.get(ref="HV1")
    assert (visit.persons_met, visit.version) == (4, 2)


def test_a_dry_run_writes_nothing(personas, tmp_path):
    result = bundle_import(bundle(tmp_path, GOOD_VISITS, GOOD_COUNTS), dry_run=True)
    assert result.files["visits"].created == 2
    assert not HouseholdVisit.objects.exists() and not HouseholdCount.objects.exists()


@pytest.mark.parametrize(
    ("row", "column", "words"),
    [
        (["HV9", "411103999999", "1号", "2025-03-03", "六促六防", "1", "", ""], "属地代码", "未知"),
        (["HV9", "411103001000", "1号", "2025-03-03", "六促六防", "1", "", ""], "属地代码", "村"),
        (["HV9", "411103001001", "1号", "2099-03-03", "六促六防", "1", "", ""], "走访日期", "晚于今天"),
        (["HV9", "411103001001", "1号", "2025-03-03", "跳舞", "1", "", ""], "走访主题", "六促六防"),
        (["HV9", "411103001001", "1号", "2025-03-03", "六促六防", "0", "", ""], "走访人次", "至少"),
        (
            ["HV9", "411103001001", "1号", "2025-03-03", "六促六防", "51", "", ""],
            "走访人次",
            "最多见到 50 人",
        ),
        (
            ["HV9", "411103001001", "1号", "2025-03-03", "六促六防", "100000", "", ""],
            "走访人次",
            "最多见到 50 人",
        ),
        (["HV9", "411103001001", "1号", "1990-01-01", "六促六防", "1", "", ""], "走访日期", "早于"),
        (["HV9", "411103001001", "", "2025-03-03", "六促六防", "1", "", ""], "门牌号", "必填"),
    ],
)
def test_a_bad_row_is_a_chinese_row_error_and_nothing_is_written(personas, tmp_path, row, column, words):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(tmp_path, [GOOD_VISITS[0], row]))
    error = invalid.value.errors[0]
    assert error.row == 3 and column in error.column and words in error.message, error
    assert not HouseholdVisit.objects.exists()


def test_a_town_imports_no_visit_of_another_town(personas, tmp_path):
    rows = [GOOD_VISITS[0], ["HV3", "411103100201", "1号", "2025-03-03", "六促六防", "1", "", ""]]
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(tmp_path, rows, GOOD_COUNTS), scope=scope_for(personas["town_a"]))
    assert {(error.file, error.row) for error in invalid.value.errors} == {
        ("visits.csv", 3),
        ("households.csv", 3),
    }
    assert not HouseholdVisit.objects.exists()


def test_a_town_cannot_take_over_another_towns_visit_by_its_ref(personas, tmp_path):
    household_visit_create(
        scope=scope_for(personas["town_b"]),
        region=personas["dongwan"],
        household="1号",
        visited_on=datetime.date(2025, 3, 3),
        theme="publicity",
        ref="HVB",
    )
    rows = [["HVB", "411103001001", "1号", "2025-03-03", "六促六防", "1", "", ""]]
    with pytest.raises(BundleInvalid):
        bundle_import(bundle(tmp_path, rows), scope=scope_for(personas["town_a"]))
    assert HouseholdVisit.objects.get(ref="HVB").region == personas["dongwan"]


def test_duplicate_counts_of_a_region_and_day_are_a_row_error(personas, tmp_path):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(tmp_path, counts=[GOOD_COUNTS[0], GOOD_COUNTS[0]]))
    assert invalid.value.errors[0].row == 3


def test_export_then_import_round_trips(personas, tmp_path):
    bundle_import(bundle(tmp_path, GOOD_VISITS, GOOD_COUNTS))
    counts = bundle_export(tmp_path / "out")
    assert (counts["visits"], counts["households"]) == (2, 2)
    text = (tmp_path / "out" / "visits.csv").read_text(encoding="utf-8-sig")
    assert "HV1" in text and "3组12号" in text
    again = bundle_import(tmp_path / "out")
    assert not again.changed


def test_a_towns_export_holds_only_its_visits(personas, tmp_path):
    bundle_import(bundle(tmp_path, GOOD_VISITS, GOOD_COUNTS))
    counts = bundle_export(tmp_path / "out", scope=scope_for(personas["town_a"]))
    assert (counts["visits"], counts["households"]) == (2, 1)
