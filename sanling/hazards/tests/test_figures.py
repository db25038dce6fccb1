"""hazard_figures: found, rectified, overdue and 整改率 of a region and period; overdue_hazards for the CLI."""

import datetime

import pytest

from sanling.assessment.periods import Period
from sanling.hazards.figures import hazard_figures
from sanling.hazards.selectors import overdue_hazards
from sanling.hazards.services import hazard_recheck, hazard_report, hazard_request_recheck

from .helpers import as_user, photo


@pytest.mark.django_db
def test_found_rectified_overdue_and_the_rate(hazard_world):
    today = hazard_world["today"]
    if hazard_world["found"].year != today.year:  # found last year: this year's figures would not hold it
        pytest.skip("the fixture's hazard was found last year")
    with as_user(hazard_world["grid_a"]):
        closed = hazard_report(
            subject=hazard_world["school"],
            found_on=hazard_world["found"],
            category="消防安全",
            level="major",
            description="疏散指示灯损坏",
        )
        closed = hazard_request_recheck(hazard=closed, on=today, photos=[photo()])
    with as_user(hazard_world["town_a"]):
        hazard_recheck(hazard=closed, on=today, passed=True, photos=[photo()])
    period = Period.of_year(hazard_world["found"].year)
    figures = hazard_figures(region=hazard_world["county"], period=period, today=today)
    assert (figures.found, figures.major, figures.rectified) == (2, 1, 1)
    assert figures.overdue == 1  # the first, found 60 days ago and due in 30
    assert figures.rectify_rate == 50
    assert dict(figures.rows())
    other_town = hazard_figures(region=hazard_world["shangqiao"], period=period, today=today)
    assert other_town.found == 0 and other_town.rectify_rate is None


@pytest.mark.django_db
def test_a_department_user_counts_its_own_units_only(hazard_world):
    from sanling.accounts.scope import scope_for

    hazard_report(
        subject=hazard_world["factory"],
        found_on=hazard_world["found"],
        category="安全生产",
        level="general",
        description="东湾厂房",
    )
    period = Period.of_year(hazard_world["found"].year)
    figures = hazard_figures(
        region=hazard_world["county"],
        period=period,
        scope=scope_for(hazard_world["dept"]),
        today=hazard_world["today"],
    )
    assert figures.found == 1  # the school only


@pytest.mark.django_db
def test_overdue_hazards_of_a_region_on_a_day(hazard_world):
    hazard = hazard_world["hazard"]
    due = hazard.case.due_on
    assert list(overdue_hazards(hazard_world["shabei"], due + datetime.timedelta(days=1))) == [hazard]
    assert list(overdue_hazards(hazard_world["shabei"], due)) == []
    assert list(overdue_hazards(hazard_world["shangqiao"], hazard_world["today"])) == []
