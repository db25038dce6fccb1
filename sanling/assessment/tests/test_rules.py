"""Hand-computed figures for every rule of policy version 1 and every kind of change."""

import datetime

import pytest

from sanling.assessment.models import DepartmentRollup
from sanling.assessment.periods import Period
from sanling.assessment.selectors import dispute_rate, region_rates, subject_status
from sanling.disputes.services import dispute_create, dispute_update
from sanling.events.services import event_create, event_delete, event_update
from sanling.regions.services import region_create, region_move
from sanling.subjects.services import subject_create, subject_update

from .conftest import JAN_1, accident, case, petition

pytestmark = pytest.mark.usefixtures("consistent")


def figures(region, period, group="village"):
    """(active, compliant, broke petition, broke accident, broke case) of a region, group and period."""
    (row,) = region_rates(region=region, period=Period.parse(period), group=group)
    return row.active, row.compliant, row.broke_petition, row.broke_accident, row.broke_case


def test_with_no_events_every_active_subject_is_compliant(world):
    assert figures(world["county"], "2021") == (2, 2, 0, 0, 0)
    assert figures(world["county"], "2021", "unit") == (3, 3, 0, 0, 0)


def test_a_petition_at_town_level_does_not_break_zero_petitions(world):
    petition(world["community"], datetime.date(2021, 5, 3), level="town")
    assert figures(world["county"], "2021-05") == (2, 2, 0, 0, 0)


def test_a_petition_at_county_level_breaks_zero_petitions(world):
    petition(world["community"], datetime.date(2021, 5, 3), level="county")
    assert figures(world["county"], "2021-05") == (2, 1, 1, 0, 0)
    assert figures(world["shabei"], "2021Q2") == (1, 0, 1, 0, 0)
    assert figures(world["shangqiao"], "2021") == (1, 1, 0, 0, 0)


def test_a_county_petition_requiring_a_higher_authority_does_not_break(world):
    petition(world["community"], datetime.date(2021, 5, 3), level="province", higher_authority_required=True)
    assert figures(world["county"], "2021") == (2, 2, 0, 0, 0)


def test_accidents_and_public_safety_events_break_zero_accidents(world):
    accident(world["factory"], datetime.date(2021, 2, 1))
    event_create(
        subject=world["school"], type="public_safety", occurred_on=datetime.date(2021, 2, 2), title="踩踏"
    )
    assert figures(world["county"], "2021-02", "unit") == (3, 1, 0, 2, 0)


def test_criminal_and_public_security_cases_break_zero_cases(world):
    case(world["village"], datetime.date(2021, 8, 1), type="criminal_case")
    case(world["village"], datetime.date(2021, 8, 9), type="security_case")
    assert figures(world["county"], "2021-08") == (2, 1, 0, 0, 1)


def test_a_subject_breaking_two_zeros_fails_once(world):
    petition(world["village"], datetime.date(2021, 3, 1))
    case(world["village"], datetime.date(2021, 3, 2))
    assert figures(world["county"], "2021Q1") == (2, 1, 1, 0, 1)


def test_an_event_on_the_last_day_of_a_quarter_stays_in_that_quarter(world):
    case(world["community"], datetime.date(2021, 3, 31))
    assert figures(world["county"], "2021-03") == (2, 1, 0, 0, 1)
    assert figures(world["county"], "2021Q1") == (2, 1, 0, 0, 1)
    assert figures(world["county"], "2021-04") == (2, 2, 0, 0, 0)
    assert figures(world["county"], "2021Q2") == (2, 2, 0, 0, 0)
    assert figures(world["county"], "2021") == (2, 1, 0, 0, 1)


def test_a_unit_event_does_not_count_against_its_village(world):
    case(world["school"], datetime.date(2021, 6, 1))
    assert figures(world["shabei"], "2021-06", "village") == (1, 1, 0, 0, 0)
    assert figures(world["shabei"], "2021-06", "unit") == (2, 1, 0, 0, 1)


def test_a_subject_joining_mid_year_counts_from_its_month_on(world):
    new_village = region_create(code="411103001002", name="新社区", level="village", parent=world["shabei"])
    subject_create(
        code="V3", name="新社区", kind="community", region=new_village, joined_on=datetime.date(2021, 7, 15)
    )
    assert figures(world["county"], "2021-06") == (2, 2, 0, 0, 0)
    assert figures(world["county"], "2021-07") == (3, 3, 0, 0, 0)
    assert figures(world["county"], "2021") == (3, 3, 0, 0, 0)


def test_a_retired_subject_stops_counting_after_its_month(world):
    subject_update(subject=world["factory"], version=1, retired_on=datetime.date(2021, 9, 10))
    assert figures(world["county"], "2021-09", "unit") == (3, 3, 0, 0, 0)
    assert figures(world["county"], "2021-10", "unit") == (2, 2, 0, 0, 0)
    assert figures(world["county"], "2021", "unit") == (3, 3, 0, 0, 0)


def test_a_moved_subject_leaves_its_history_with_the_old_town(world):
    case(world["factory"], datetime.date(2021, 2, 5))
    subject_update(
        subject=world["factory"], version=1, region=world["jinniu"], moved_on=datetime.date(2021, 7, 1)
    )
    assert figures(world["shangqiao"], "2021-02", "unit") == (1, 0, 0, 0, 1)
    assert figures(world["shabei"], "2021-02", "unit") == (2, 2, 0, 0, 0)
    assert figures(world["shangqiao"], "2021-07", "unit") == (0, 0, 0, 0, 0)
    assert figures(world["shabei"], "2021-07", "unit") == (3, 3, 0, 0, 0)
    # The year is counted where the subject stood at its end.
    assert figures(world["shabei"], "2021", "unit") == (3, 2, 0, 0, 1)


def test_moving_an_event_to_another_subject_moves_its_effect(world):
    event = case(world["community"], datetime.date(2021, 4, 1))
    event_update(event=event, version=1, subject=world["village"])
    assert figures(world["shabei"], "2021-04") == (1, 1, 0, 0, 0)
    assert figures(world["shangqiao"], "2021-04") == (1, 0, 0, 0, 1)


def test_changing_an_events_date_moves_it_between_periods(world):
    event = case(world["community"], datetime.date(2021, 4, 1))
    event_update(event=event, version=1, occurred_on=datetime.date(2021, 11, 1))
    assert figures(world["county"], "2021-04") == (2, 2, 0, 0, 0)
    assert figures(world["county"], "2021-11") == (2, 1, 0, 0, 1)


def test_raising_a_petitions_level_makes_it_break(world):
    event = petition(world["community"], datetime.date(2021, 5, 3), level="town")
    event_update(event=event, version=1, petition_level="city")
    assert figures(world["county"], "2021-05") == (2, 1, 1, 0, 0)


def test_deleting_an_event_restores_the_rate(world):
    event = case(world["community"], datetime.date(2021, 4, 1))
    event_delete(event=event, version=1)
    assert figures(world["county"], "2021") == (2, 2, 0, 0, 0)


def test_an_event_in_a_year_not_yet_assessed_opens_that_year(world):
    case(world["community"], datetime.date(2022, 1, 10))
    assert figures(world["county"], "2022-01") == (2, 1, 0, 0, 1)
    assert figures(world["county"], "2021") == (2, 2, 0, 0, 0)


def test_a_year_never_assessed_is_computed_when_asked(world):
    assert figures(world["county"], "2019") == (0, 0, 0, 0, 0)
    assert figures(world["county"], "2023Q2") == (2, 2, 0, 0, 0)


def test_department_figures_cover_their_units_across_towns(world):
    case(world["school"], datetime.date(2021, 6, 1))
    rows = region_rates(region=world["county"], period=Period.parse("2021"), by="department")
    assert [(row.department_code, row.active, row.compliant) for row in rows] == [
        ("JY", 1, 0),
        ("WJ", 1, 1),
        ("YJ", 1, 1),
    ]


def test_a_tree_rooted_below_the_towns_keeps_no_department_rollups(world):
    """Department and category rollups stop at the towns; a root village's are computed from its subjects."""
    village = region_create(code="419999001001", name="独立村", level="village")
    subject_create(
        code="U5",
        name="村办厂",
        kind="enterprise",
        category="factory_mine",
        region=village,
        department=world["safety"],
        joined_on=JAN_1,
    )
    assert figures(village, "2021", group="unit") == (1, 1, 0, 0, 0)
    assert not DepartmentRollup.objects.filter(region=village).exists()
    rows = region_rates(region=village, period=Period.parse("2021"), by="department")
    assert [(row.department_code, row.active) for row in rows] == [("YJ", 1)]


def test_category_figures_below_town_are_computed_from_the_subjects_there(world):
    case(world["school"], datetime.date(2021, 6, 1))
    rows = region_rates(region=world["jinniu"], period=Period.parse("2021"), by="category")
    assert [(row.category, row.active, row.compliant) for row in rows] == [("school", 1, 0)]


def test_status_says_which_events_broke_which_zero(world):
    event = case(world["community"], datetime.date(2021, 4, 1))
    petition(world["community"], datetime.date(2021, 4, 2), level="town")
    status = subject_status(subject=world["community"], period=Period.parse("2021Q2"))
    assert status.compliant is False
    assert status.breaking["case"] == [event]
    assert status.breaking["petition"] == []
    assert status.holds("petition") and status.holds("accident") and not status.holds("case")


def test_dispute_resolution_rate_is_resolved_over_registered(world):
    first = dispute_create(
        subject=world["community"], reported_on=datetime.date(2021, 3, 1), summary="邻里纠纷"
    )
    dispute_create(subject=world["village"], reported_on=datetime.date(2021, 3, 5), summary="土地纠纷")
    dispute_update(
        dispute=first,
        version=1,
        status="resolved",
        resolved_level="village",
        resolved_on=datetime.date(2021, 3, 9),
    )
    assert dispute_rate(region=world["county"], period=Period.parse("2021-03")) == (2, 1, pytest.approx(50))
    assert dispute_rate(region=world["shabei"], period=Period.parse("2021")) == (1, 1, 100)


def test_subject_created_before_any_assessed_year_needs_no_rollups(county):
    subject_create(code="V9", name="东湾村", kind="village", region=county["dongwan"], joined_on=JAN_1)
    assert figures(county["county"], "2021") == (1, 1, 0, 0, 0)


def test_a_village_moved_to_another_town_keeps_its_earlier_periods_with_the_old_town(world):
    case(world["community"], datetime.date(2021, 2, 1))
    region_move(region=world["jinniu"], new_parent=world["shangqiao"], moved_on=datetime.date(2021, 7, 1))
    assert figures(world["shabei"], "2021-02") == (1, 0, 0, 0, 1)
    assert figures(world["shangqiao"], "2021-02") == (1, 1, 0, 0, 0)
    assert figures(world["shabei"], "2021-07") == (0, 0, 0, 0, 0)
    assert figures(world["shangqiao"], "2021") == (2, 1, 0, 0, 1)
