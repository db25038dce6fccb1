"""A community missing its monthly meeting is flagged: ``communities_missing`` and ``meeting_figures``.
Seeds: "“10”即每月召开一次会议"."""

import datetime

import pytest

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.meetings.figures import meeting_figures
from sanling.meetings.selectors import communities_missing
from sanling.meetings.services import meeting_create

from .conftest import five_present

pytestmark = pytest.mark.django_db

LAST_YEAR_MONTHS = 12


def held(world, day):
    return meeting_create(
        region=world["jinniu"], kind="510圆桌议事会", held_on=day, attendance=five_present()
    )


def test_every_month_of_last_year_without_a_510_is_flagged(meeting_world):
    period = Period.of_year(meeting_world["today"].year - 1)
    missing = communities_missing(meeting_world["shabei"], period, today=meeting_world["today"])
    assert len(missing) == LAST_YEAR_MONTHS
    assert {row.region for row in missing} == {meeting_world["jinniu"]}


def test_a_month_with_its_510_is_not_flagged(meeting_world):
    year = meeting_world["today"].year - 1
    held(meeting_world, datetime.date(year, 3, 15))
    missing = communities_missing(
        meeting_world["shabei"], Period.month(year, 3), today=meeting_world["today"]
    )
    assert missing == []


def test_the_current_month_is_not_yet_missing(meeting_world):
    today = meeting_world["today"]
    assert (
        communities_missing(meeting_world["jinniu"], Period.month(today.year, today.month), today=today) == []
    )


def test_months_before_the_adoption_are_not_due(meeting_world):
    year = meeting_world["today"].year - 2
    assert (
        communities_missing(meeting_world["shabei"], Period.of_year(year), today=meeting_world["today"]) == []
    )


def test_a_meeting_of_another_kind_does_not_count(meeting_world):
    year = meeting_world["today"].year - 1
    meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=datetime.date(year, 5, 5))
    assert (
        len(communities_missing(meeting_world["shabei"], Period.month(year, 5), today=meeting_world["today"]))
        == 1
    )


def test_the_other_towns_operator_sees_no_flag_of_this_town(meeting_world):
    period = Period.of_year(meeting_world["today"].year - 1)
    scope = scope_for(meeting_world["town_b"])
    assert (
        communities_missing(meeting_world["county"], period, scope=scope, today=meeting_world["today"]) == []
    )


def test_the_figures_count_held_due_and_missing(meeting_world):
    year = meeting_world["today"].year - 1
    held(meeting_world, datetime.date(year, 1, 10))
    held(meeting_world, datetime.date(year, 2, 10))
    figures = meeting_figures(
        region=meeting_world["shabei"], period=Period.quarter(year, 1), today=meeting_world["today"]
    )
    assert (figures.held, figures.communities_due, figures.communities_missing) == (2, 3, 1)
    assert [label for label, _value in figures.rows()] == ["已召开会议", "应开月度会议", "未开月度会议"]
