"""Events and disputes in a bundle: their own checks, and the rollups they move."""

from decimal import Decimal

import pytest
from django.db.models import F

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.assessment.services import assessment_check
from sanling.audit.models import AuditEntry
from sanling.audit.selectors import audit_verify
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.exchange.importer import bundle_import
from sanling.exchange.reader import BundleInvalid
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .conftest import DISPUTE_ROWS, EVENT_ROWS, SUBJECT_ROWS
from .test_import_errors import replace_row

pytestmark = pytest.mark.django_db


def errors_of(path):
    with pytest.raises(BundleInvalid) as invalid:
        bundle_import(path)
    return invalid.value.errors


def test_an_event_of_an_unknown_subject_is_rejected(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 1, subject_code="NOPE")))
    assert (error.file, error.row, error.column) == ("events.csv", 2, "主体编码（subject_code）")


def test_deaths_must_fit_the_accident_grade(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 3, deaths="3")))
    assert error.column == "事故等级（accident_grade）"
    assert "较大" in error.message


def test_a_petition_needs_its_level(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 1, petition_level="")))
    assert error.column == "信访层级（petition_level）"


def test_only_a_petition_can_be_collective(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 4, collective="是")))
    assert error.column == "集体访（collective）"


def test_an_event_in_the_future_is_rejected(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 4, occurred_on="2999-01-01")))
    assert error.column == "发生日期（occurred_on）"


def test_a_yes_no_cell_must_say_yes_or_no(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 1, higher_authority_required="也许")))
    assert error.column == "须由上级解决（higher_authority_required）"


def test_a_people_count_must_be_a_whole_number(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 3, injuries="两人")))
    assert error.column == "受伤人数（injuries）"


def test_a_resolved_dispute_needs_its_date(bundle):
    (error,) = errors_of(bundle(disputes=replace_row(DISPUTE_ROWS, 1, resolved_on="")))
    assert (error.file, error.row, error.column) == ("disputes.csv", 2, "化解日期（resolved_on）")


def test_a_dispute_cannot_be_resolved_before_it_was_registered(bundle):
    (error,) = errors_of(bundle(disputes=replace_row(DISPUTE_ROWS, 1, resolved_on="2021-02-01")))
    assert error.column == "化解日期（resolved_on）"


def test_a_duplicate_event_ref_is_rejected(bundle):
    (error,) = errors_of(bundle(events=[*EVENT_ROWS, EVENT_ROWS[1]]))
    assert (error.row, error.column) == (6, "编号（ref）")


def test_importing_events_sets_the_rates(bundle):
    bundle_import(bundle())
    county = Region.objects.get(code="411103000000")
    village, unit = region_rates(region=county, period=Period.parse("2021"))
    # E1 (county petition) breaks V0001; E2 needs a higher authority; E3, E4 break both units.
    assert (village.active, village.compliant, village.broke_petition) == (1, 0, 1)
    assert (unit.active, unit.compliant, unit.rate) == (2, 0, Decimal("0.00"))
    assert assessment_check() == []


def test_changing_an_events_date_by_import_moves_it_between_periods(bundle):
    bundle_import(bundle())
    bundle_import(bundle(events=replace_row(EVENT_ROWS, 1, occurred_on="2021-09-03"), folder="changed"))
    county = Region.objects.get(code="411103000000")
    (may,) = region_rates(region=county, period=Period.parse("2021-05"), group="village")
    (september,) = region_rates(region=county, period=Period.parse("2021-09"), group="village")
    assert (may.compliant, september.compliant) == (1, 0)
    assert Event.objects.get(ref="E1").version == 2
    assert assessment_check() == []


def test_moving_a_subject_by_import_keeps_earlier_periods_with_the_old_place(bundle):
    bundle_import(bundle())
    moved = replace_row(SUBJECT_ROWS, 2, region_code="411103001000")
    result = bundle_import(bundle(subjects=moved, folder="moved"))
    assert result.files["subjects"].updated == 1
    placements = list(
        Subject.objects.get(code="U0001")
        .placements.order_by(F("valid_from").asc(nulls_first=True))
        .values_list("region__code", "valid_to")
    )
    assert placements[0][0] == "411103001001001" and placements[0][1] is not None
    assert placements[1] == ("411103001000", None)
    assert assessment_check() == []


def test_every_bad_event_row_is_reported_in_row_order_with_one_problem_per_cell(bundle):
    rows = replace_row(EVENT_ROWS, 4, type="火灾", occurred_on="昨天")
    rows = replace_row(rows, 1, subject_code="NOPE", title="长" * 201)
    rows = [*rows, replace_row(rows, 2, title="")[2]]  # E2 again, and without its title
    errors = errors_of(bundle(events=rows))
    assert [(error.row, error.column) for error in errors] == [
        (2, "主体编码（subject_code）"),
        (2, "标题（title）"),
        (5, "类型（type）"),
        (5, "发生日期（occurred_on）"),
        (6, "编号（ref）"),  # a repeated row reports only that it repeats
    ]
    assert errors[-1].message == "“E2”与本文件第 3 行重复。"
    assert Event.objects.count() == 0


def test_an_import_audits_every_record_it_writes_in_file_order_on_a_chain_that_verifies(bundle):
    bundle_import(bundle())
    entries = list(AuditEntry.objects.order_by("seq").values_list("object_type", "object_key", "region_path"))
    types = [object_type for object_type, _key, _path in entries]
    assert types.index("subject") < types.index("event") < types.index("dispute")
    assert [key for object_type, key, _path in entries if object_type == "event"] == ["E1", "E2", "E3", "E4"]
    assert [key for object_type, key, _path in entries if object_type == "dispute"] == ["D1", "D2"]
    e3 = next(path for object_type, key, path in entries if key == "E3")
    assert e3 == Subject.objects.get(code="U0001").region.path
    assert audit_verify()[1] == []


def test_reimporting_a_changed_event_audits_only_the_field_that_changed(bundle):
    bundle_import(bundle())
    last = AuditEntry.objects.order_by("-seq").first().seq
    bundle_import(bundle(events=replace_row(EVENT_ROWS, 4, title="入室盗窃案"), folder="again"))
    (entry,) = AuditEntry.objects.filter(seq__gt=last)
    assert (entry.action, entry.object_key) == ("update", "E4")
    assert entry.changes == {"before": {"title": "盗窃案"}, "after": {"title": "入室盗窃案"}}


def test_an_event_dated_before_its_subject_joined_is_rejected(bundle):
    (error,) = errors_of(bundle(events=replace_row(EVENT_ROWS, 1, occurred_on="2020-12-31")))
    assert (error.file, error.row, error.column) == ("events.csv", 2, "发生日期（occurred_on）")
    assert "纳入创建" in error.message


def test_a_dispute_dated_before_the_earliest_year_is_rejected(bundle, settings):
    settings.EARLIEST_YEAR = 2022
    errors = errors_of(bundle(disputes=replace_row(DISPUTE_ROWS, 2, reported_on="2021-03-05")))
    assert any(error.file == "disputes.csv" and "2022" in error.message for error in errors)


def test_a_dispute_category_outside_the_countys_list_is_a_row_error(bundle):
    # The list is data a county edits (数据字典); an import writes around no rule the form applies.
    (error,) = errors_of(bundle(disputes=replace_row(DISPUTE_ROWS, 1, category="打麻将纠纷")))
    assert (error.file, error.row, error.column) == ("disputes.csv", 2, "类别（category）")
    assert "不在" in error.message and "其他" in error.message


def test_a_dispute_keeps_a_category_stored_before_the_list_existed(bundle):
    bundle_import(bundle())
    Dispute.objects.filter(ref="D1").update(category="老类别")
    rows = replace_row(DISPUTE_ROWS, 1, category="老类别", summary="宅基地边界争议（已复核）")
    bundle_import(bundle(disputes=rows))
    assert Dispute.objects.get(ref="D1").summary == "宅基地边界争议（已复核）"
