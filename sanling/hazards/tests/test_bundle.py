"""hazards.csv in the exchange bundle: atomic, idempotent, dry-run; a closed imported hazard is a closed case;
bad rows are Chinese row errors and nothing is written; export → import round-trips."""

import pytest

from sanling.accounts.scope import scope_for
from sanling.conftest import write_csv
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.hazards.models import Hazard, HazardStatus

HEADER = [
    "ref",
    "subject_code",
    "found_on",
    "category",
    "level",
    "description",
    "status",
    "due_on",
    "rectified_on",
    "grid_code",
    "source",
    "owner_person",
    "organisation_code",
]


def _rows():
    return [
        HEADER,
        [
            "H-IMP-1",
            "U1",
            "2025-06-03",
            "消防安全",
            "一般",
            "楼道堆放杂物",
            "复查通过",
            "2025-07-03",
            "2025-06-20",
            "",
            "排查",
            "安全员",
            "",
        ],
        [
            "H-IMP-2",
            "U1",
            "2025-06-05",
            "燃气安全",
            "重大",
            "燃气管道锈蚀",
            "整改中",
            "2025-09-05",
            "",
            "411103001001001",
            "",
            "后勤主任",
            "",
        ],
    ]


@pytest.mark.django_db
def test_a_bundle_registers_hazards_and_a_closed_one_is_a_closed_case(personas, tmp_path):
    write_csv(tmp_path, "hazards.csv", _rows())
    result = bundle_import(tmp_path)
    assert result.files["hazards"].created == 2
    closed = Hazard.objects.get(ref="H-IMP-1")
    assert closed.status == HazardStatus.CLOSED and closed.case.closed_on.isoformat() == "2025-06-20"
    open_one = Hazard.objects.get(ref="H-IMP-2")
    assert open_one.level == "major" and open_one.case.due_on.isoformat() == "2025-09-05"
    assert open_one.grid.code == "411103001001001" and open_one.case.closed_on is None


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing(personas, tmp_path):
    write_csv(tmp_path, "hazards.csv", _rows())
    bundle_import(tmp_path)
    again = bundle_import(tmp_path)
    assert again.files["hazards"].unchanged == 2 and not again.changed


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(personas, tmp_path):
    write_csv(tmp_path, "hazards.csv", _rows())
    result = bundle_import(tmp_path, dry_run=True)
    assert result.files["hazards"].created == 2
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_a_changed_row_updates_and_closes_the_hazard(personas, tmp_path):
    write_csv(tmp_path, "hazards.csv", _rows())
    bundle_import(tmp_path)
    rows = _rows()
    rows[2] = [
        "H-IMP-2",
        "U1",
        "2025-06-05",
        "燃气安全",
        "重大",
        "燃气管道锈蚀",
        "复查通过",
        "2025-09-05",
        "2025-08-01",
        "411103001001001",
        "",
        "后勤主任",
        "",
    ]
    write_csv(tmp_path, "hazards.csv", rows)
    result = bundle_import(tmp_path)
    assert result.files["hazards"].updated == 1
    hazard = Hazard.objects.get(ref="H-IMP-2")
    assert hazard.status == HazardStatus.CLOSED and hazard.case.closed_on.isoformat() == "2025-08-01"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column"),
    [
        (["H-BAD", "NOPE", "2025-06-03", "消防安全", "", "x", "", "", "", "", "", "", ""], "subject_code"),
        (["H-BAD", "U1", "2025-06-03", "外星人", "", "x", "", "", "", "", "", "", ""], "category"),
        (
            ["H-BAD", "U1", "2025-06-03", "消防安全", "", "x", "复查通过", "", "", "", "", "", ""],
            "rectified_on",
        ),
        (
            ["H-BAD", "U1", "2025-06-03", "消防安全", "", "x", "复查通过", "", "2025-06-01", "", "", "", ""],
            "rectified_on",
        ),
        (["H-BAD", "U1", "2099-06-03", "消防安全", "", "x", "", "", "", "", "", "", ""], "found_on"),
        (["H-BAD", "U1", "2025-06-03", "消防安全", "严重", "x", "", "", "", "", "", "", ""], "level"),
        (["H-BAD", "U1", "2025-06-03", "消防安全", "", "x", "", "", "", "9999", "", "", ""], "grid_code"),
    ],
)
def test_a_bad_row_is_a_row_error_and_nothing_is_written(personas, tmp_path, row, column):
    write_csv(tmp_path, "hazards.csv", [*_rows(), row])
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(tmp_path)
    assert any(column in error.column for error in invalid.value.errors), invalid.value.errors
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_a_town_operator_cannot_import_another_towns_hazard(personas, tmp_path):
    rows = [HEADER, ["H-B", "U2", "2025-06-03", "安全生产", "", "东湾厂房", "", "", "", "", "", "", ""]]
    write_csv(tmp_path, "hazards.csv", rows)
    with pytest.raises(BundleInvalid):
        bundle_import(tmp_path, scope=scope_for(personas["town_a"]))
    assert not Hazard.objects.exists()


@pytest.mark.django_db
def test_export_then_import_round_trips(personas, tmp_path):
    from sanling.accounts.scope import EVERYTHING
    from sanling.exchange.exporter import bundle_export

    write_csv(tmp_path / "in", "hazards.csv", _rows())
    bundle_import(tmp_path / "in")
    out = tmp_path / "out"
    bundle_export(out, scope=EVERYTHING)
    again = bundle_import(out)
    assert again.files["hazards"].unchanged == 2 and not again.changed


EVENT_HEADER = [
    "ref",
    "type",
    "subject_code",
    "occurred_on",
    "title",
    "petition_level",
    "higher_authority_required",
    "collective",
    "accident_grade",
    "deaths",
    "injuries",
    "status",
    "hazard_ref",
]


@pytest.mark.django_db
def test_an_accident_in_events_csv_names_the_hazard_it_came_from_in_the_same_bundle(personas, tmp_path):
    from sanling.events.models import Event

    write_csv(tmp_path, "hazards.csv", _rows())
    accident = [
        "E-H1",
        "accident",
        "U1",
        "2025-10-01",
        "燃气爆燃",
        "",
        "",
        "",
        "general",
        "0",
        "1",
        "",
        "H-IMP-2",
    ]
    write_csv(tmp_path, "events.csv", [EVENT_HEADER, accident])
    bundle_import(tmp_path)
    assert Event.objects.get(ref="E-H1").hazard.ref == "H-IMP-2"
    assert not bundle_import(tmp_path).changed  # idempotent with the column


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row",
    [
        ["E-H2", "accident", "U2", "2025-10-01", "别处事故", "", "", "", "general", "0", "1", "", "H-IMP-2"],
        ["E-H3", "criminal_case", "U1", "2025-10-01", "盗窃", "", "", "", "", "0", "0", "", "H-IMP-2"],
        ["E-H4", "accident", "U1", "2025-10-01", "无此隐患", "", "", "", "general", "0", "1", "", "H-NONE"],
    ],
)
def test_an_event_naming_a_hazard_it_cannot_name_is_a_row_error(personas, tmp_path, row):
    from sanling.events.models import Event

    write_csv(tmp_path, "hazards.csv", _rows())
    write_csv(tmp_path, "events.csv", [EVENT_HEADER, row])
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(tmp_path)
    assert any("hazard_ref" in error.column for error in invalid.value.errors)
    assert not Event.objects.filter(ref=row[0]).exists() and not Hazard.objects.exists()
