"""patrol_figures: patrols, hours, residents met (见警) and findings per area and period."""

import datetime
from decimal import Decimal

import pytest

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.patrols.figures import patrol_figures, patrol_figures_by_area
from sanling.patrols.services import patrol_log_create

from .conftest import log_arguments

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(patrol_world):
    start = patrol_world["yesterday"]
    patrol_log_create(**log_arguments(patrol_world, residents_contacted=20))
    patrol_log_create(
        **log_arguments(
            patrol_world,
            region=patrol_world["jinniu"],
            started_at=start - datetime.timedelta(hours=5),
            ended_at=start - datetime.timedelta(hours=3, minutes=30),
            residents_contacted=7,
            findings="楼道堆物",
        )
    )
    return patrol_world


def period_of(world) -> Period:
    day = world["yesterday"].date()
    return Period.month(day.year, day.month)


def test_the_town_counts_its_patrols_hours_and_residents_met(logged):
    figures = patrol_figures(region=logged["shabei"], period=period_of(logged))
    assert (figures.patrols, figures.hours, figures.residents_contacted, figures.findings) == (
        2,
        Decimal("3.5"),
        27,
        1,
    )


def test_a_grid_counts_only_its_own_patrols(logged):
    assert patrol_figures(region=logged["grid"], period=period_of(logged)).patrols == 1


def test_another_period_counts_nothing(logged):
    day = logged["yesterday"].date() - datetime.timedelta(days=400)
    assert patrol_figures(region=logged["shabei"], period=Period.month(day.year, day.month)).patrols == 0


def test_the_other_towns_operator_counts_none_of_them(logged):
    figures = patrol_figures(
        region=logged["county"], period=period_of(logged), scope=scope_for(logged["town_b"])
    )
    assert figures.patrols == 0


def test_the_rows_are_labelled_in_chinese(logged):
    labels = [
        label for label, _value in patrol_figures(region=logged["shabei"], period=period_of(logged)).rows()
    ]
    assert "见警群众人数" in labels


def test_each_area_under_the_town_has_its_row(logged):
    rows = patrol_figures_by_area(region=logged["shabei"], period=period_of(logged))
    assert [(row.region_name, row.patrols) for row in rows] == [("金牛社区", 2)]
