"""The importer follows the subjects app's rules rather than its own: one move rule, one field list, one
way to write a stored value as a cell."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanling.assessment.models import AssessedYear
from sanling.assessment.services import assessment_check
from sanling.exchange.exporter import subject_rows
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.exchange.schema import SUBJECTS
from sanling.exchange.values import as_cell
from sanling.regions.models import Region
from sanling.subjects.models import PLACE_FIELDS, SUBJECT_FIELDS, Subject, SubjectPlacement
from sanling.subjects.services import EDITABLE_FIELDS, subject_update

from .conftest import DISPUTE_ROWS, EVENT_ROWS, REGION_ROWS, SUBJECT_ROWS
from .test_import_errors import replace_row

pytestmark = pytest.mark.django_db


def test_a_second_move_on_the_same_day_by_import_is_a_row_error_and_nothing_moves(bundle):
    bundle_import(bundle())
    bundle_import(bundle(subjects=replace_row(SUBJECT_ROWS, 2, region_code="411103001000"), folder="a"))
    again = replace_row(SUBJECT_ROWS, 2, region_code="411103001001")
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(subjects=again, folder="b"))
    (error,) = invalid.value.errors
    assert (error.file, error.row, error.column) == ("subjects.csv", 3, "属地代码（region_code）")
    assert error.message.startswith("调整日期必须晚于上次调整日期")
    assert Subject.objects.get(code="U0001").region.code == "411103001000"
    assert SubjectPlacement.objects.filter(subject__code="U0001").count() == 2


def test_the_service_refuses_a_second_move_on_the_same_day_with_the_same_message(bundle):
    bundle_import(bundle())
    bundle_import(bundle(subjects=replace_row(SUBJECT_ROWS, 2, region_code="411103001000"), folder="a"))
    subject = Subject.objects.get(code="U0001")
    with pytest.raises(ValidationError) as refused:
        subject_update(
            subject=subject, version=subject.version, region=Region.objects.get(code="411103001001")
        )
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(subjects=replace_row(SUBJECT_ROWS, 2, region_code="411103001001"), folder="b"))
    assert refused.value.message_dict["region"] == [invalid.value.errors[0].message]


def test_the_subjects_file_has_a_column_for_every_subject_field_in_the_same_order():
    columns = [column.key for column in SUBJECTS.columns]
    assert columns == [f"{name}_code" if name in PLACE_FIELDS else name for name in SUBJECT_FIELDS]
    assert EDITABLE_FIELDS == SUBJECT_FIELDS[1:]


def test_a_stored_value_reads_back_as_itself_through_its_cell(bundle):
    assert [as_cell(value) for value in (None, True, False, datetime.date(2021, 3, 5), 7)] == [
        "",
        "是",
        "否",
        "2021-03-05",
        "7",
    ]
    bundle_import(bundle())
    exported = {row[0]: row for row in subject_rows()}
    assert exported["U0001"][SUBJECT_FIELDS.index("joined_on")] == "2021-03-05"


def rebuilds_during(run) -> int:
    """How many full rebuilds of the rollups ``run`` made: each one stamps the assessed years it rebuilt."""
    with CaptureQueriesContext(connection) as queries:
        run()
    return sum(
        1
        for query in queries.captured_queries
        if query["sql"].startswith('UPDATE "assessment_assessedyear"') and "computed_at" in query["sql"]
    )


def test_an_import_moving_two_regions_rebuilds_the_rollups_once(bundle):
    regions = [
        *REGION_ROWS,
        ["411103002000", "西城街道", "town", "411103000000"],
        ["411103001002", "银牛社区", "village", "411103001000"],
        ["411103001003", "铜牛社区", "village", "411103001000"],
    ]
    bundle_import(bundle(regions=regions))
    assert AssessedYear.objects.exists()
    moved = replace_row(regions, 8, parent_code="411103002000")
    moved = replace_row(moved, 9, parent_code="411103002000")
    result = rebuilds_during(lambda: bundle_import(bundle(regions=moved, folder="moved")))
    assert result == 1
    assert Region.objects.get(code="411103001003").parent.code == "411103002000"
    assert assessment_check() == []


def test_a_subject_joining_before_the_earliest_year_is_a_row_error_as_in_the_services(bundle, settings):
    settings.EARLIEST_YEAR = 2021
    rows = replace_row(SUBJECT_ROWS, 1, joined_on="2020-12-31")
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(subjects=rows))
    (error,) = invalid.value.errors
    assert (error.file, error.row, error.column) == ("subjects.csv", 2, "纳入创建日期（joined_on）")
    assert "2021" in error.message


def test_an_import_cannot_move_a_subjects_join_date_past_its_first_event(bundle):
    bundle_import(bundle())  # V0001: disputes from 2021-03-01, petitions on 2021-05-03 and 2021-06-01
    rows = replace_row(SUBJECT_ROWS, 1, joined_on="2021-05-10")
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(subjects=rows, events=[EVENT_ROWS[0]], disputes=[DISPUTE_ROWS[0]], folder="b"))
    (error,) = invalid.value.errors
    assert error.column == "纳入创建日期（joined_on）" and "2021-03-01" in error.message
    assert Subject.objects.get(code="V0001").joined_on == datetime.date(2021, 1, 1)


def test_an_import_cannot_retire_a_subject_before_its_last_event(bundle):
    bundle_import(bundle())
    rows = replace_row(SUBJECT_ROWS, 1, retired_on="2021-05-20")
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(subjects=rows, events=[EVENT_ROWS[0]], disputes=[DISPUTE_ROWS[0]], folder="c"))
    assert any("2021-06-01" in error.message for error in invalid.value.errors)
    assert Subject.objects.get(code="V0001").retired_on is None


def test_an_import_cannot_move_a_subject_that_has_retired(bundle):
    # Found in review: the service refuses a move after the retirement; the importer moved it today.
    bundle_import(bundle())  # U0002 retired on 2021-12-31
    rows = replace_row(SUBJECT_ROWS, 3, region_code="411103001001")
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(bundle(subjects=rows, events=[EVENT_ROWS[0]], disputes=[DISPUTE_ROWS[0]], folder="d"))
    (error,) = invalid.value.errors
    assert error.column == "属地代码（region_code）" and "2021-12-31" in error.message
    assert Subject.objects.get(code="U0002").region.code == "411103001000"
