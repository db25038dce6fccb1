"""Bundles as people really make them: odd spellings, partial files, Windows zips, stray characters."""

import io
import zipfile

import pytest

from sanling.events.models import Event
from sanling.exchange.exporter import bundle_export
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .conftest import EVENT_ROWS, REGION_ROWS, SUBJECT_HEADER, SUBJECT_ROWS

pytestmark = pytest.mark.django_db


def errors_of(path, **options):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path, **options)
    return invalid.value.errors


def test_levels_are_read_whatever_their_case(bundle):
    regions = [list(row) for row in REGION_ROWS]
    regions[5][2] = "Village"
    bundle_import(bundle(regions=regions))
    assert Region.objects.get(code="411103001001").level == "village"


def test_a_community_on_a_town_written_in_capitals_is_still_refused(bundle):
    regions = [*REGION_ROWS, ["411103002000", "新镇", "Town", "411103000000"]]
    subjects = [
        *SUBJECT_ROWS,
        ["V0009", "新社区", "community", "", "411103002000", "", "", "", "", "", "2021-01-01", ""],
    ]
    (error,) = errors_of(bundle(regions=regions, subjects=subjects))
    assert error.column == "属地代码（region_code）"


def test_a_village_node_already_taken_in_the_system_is_a_row_error(bundle):
    bundle_import(bundle())
    rows = [
        SUBJECT_HEADER,
        ["V0009", "金牛社区二", "community", "", "411103001001", "", "", "", "", "", "2021-01-01", ""],
    ]
    (error,) = errors_of(bundle(subjects=rows, events=None, disputes=None, folder="taken"), dry_run=True)
    assert error.column == "属地代码（region_code）" and "V0001" in error.message


def test_text_starting_with_an_equals_sign_survives_an_xlsx_round_trip(bundle, tmp_path):
    rows = [list(row) for row in SUBJECT_ROWS]
    rows[1][7] = "=金牛路1号"
    bundle_import(bundle(subjects=rows))
    bundle_export(tmp_path / "out.xlsx")
    assert not bundle_import(tmp_path / "out.xlsx").changed
    assert Subject.objects.get(code="V0001").address == "=金牛路1号"


def test_an_import_cannot_make_a_region_a_root(bundle):
    bundle_import(bundle())
    regions = [list(row) for row in REGION_ROWS]
    regions[2][3] = ""
    (error,) = errors_of(bundle(regions=regions, folder="root"))
    assert (error.row, error.column) == (3, "上级代码（parent_code）")


def test_a_file_without_an_optional_column_keeps_the_stored_values(bundle):
    bundle_import(bundle())
    result = bundle_import(bundle(events=[row[:-1] for row in EVENT_ROWS], folder="nostatus"))
    assert Event.objects.get(ref="E3").status == "closed"
    assert not result.changed


def test_a_regions_file_without_parent_codes_keeps_the_tree(bundle):
    bundle_import(bundle())
    assert not bundle_import(bundle(regions=[row[:3] for row in REGION_ROWS], folder="flat")).changed


def test_a_subjects_file_without_contact_columns_keeps_them(bundle):
    bundle_import(bundle())
    subjects = [row[:9] + row[10:] for row in SUBJECT_ROWS]  # no contact_phone column
    bundle_import(bundle(subjects=subjects, folder="nophone"))
    assert Subject.objects.get(code="V0001").contact_phone == "13800000001"


@pytest.mark.parametrize(
    ("column", "value"), [("deaths", "99999999999"), ("deaths", "²"), ("title", "a\x00b")]
)
def test_impossible_cells_are_row_errors_on_every_database(bundle, column, value):
    row = ["E9", "accident", "U0001", "2021-03-31", "t", "", "", "", "especially_major", "0", "0", ""]
    row[EVENT_ROWS[0].index(column)] = value
    (error,) = errors_of(bundle(events=[*EVENT_ROWS, row]))
    assert error.row == 6 and column in error.column


def test_chinese_file_names_in_a_windows_zip_are_read(bundle, tmp_path):
    # Windows' "compressed folder" writes names in GBK without the UTF-8 flag.
    path = tmp_path / "windows.zip"
    path.write_bytes(_zip_with_gbk_names(bundle()))
    bundle_import(path)
    assert Event.objects.count() == 4


def _zip_with_gbk_names(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in sorted(folder.iterdir()):
            name = "事件.csv" if item.name == "events.csv" else item.name
            info = zipfile.ZipInfo("X" * len(name.encode("gbk")) if name != item.name else name)
            archive.writestr(info, item.read_bytes())
    return buffer.getvalue().replace(b"X" * 8, "事件.csv".encode("gbk"))


def test_an_unknown_csv_in_a_bundle_is_reported(bundle):
    folder = bundle()
    (folder / "说明.csv").write_text("随便写写\n", encoding="utf-8")
    (error,) = errors_of(folder)
    assert error.file == "说明.csv" and "regions.csv" in error.message


def test_a_column_named_twice_is_reported_on_the_header(bundle):
    regions = [[*row, ""] for row in REGION_ROWS]
    regions[0][-1] = "名称"
    (error,) = errors_of(bundle(regions=regions))
    assert (error.row, error.column) == (1, "名称（name）")


def test_an_empty_file_is_reported(bundle):
    folder = bundle()
    (folder / "subjects.csv").write_bytes("\ufeff".encode())
    (error,) = errors_of(folder)
    assert error.file == "subjects.csv" and "空" in error.message
