"""key_visit_figures: people, visits due, done on time, overdue and the completion rate per region and period."""

import datetime
from decimal import Decimal

import pytest

from sanling.assessment.periods import Period
from sanling.keypeople.figures import key_visit_figures
from sanling.keypeople.services import key_person_create, key_person_visit_record

pytestmark = pytest.mark.django_db

MARCH = Period.month(2025, 3)
TODAY = datetime.date(2025, 4, 15)


def person(personas, region="jinniu", risk="medium"):
    return key_person_create(
        actor=None,
        region=personas[region],
        category="mental_disorder",
        risk_level=risk,
        name="某某",
        registered_on=datetime.date(2025, 2, 1),  # medium: due 2025-03-01
    )


def test_a_visit_on_time_and_one_missed(personas):
    on_time, _missed = person(personas), person(personas)
    key_person_visit_record(actor=None, person=on_time, visited_on=datetime.date(2025, 2, 27))  # due 03-01
    figures = key_visit_figures(region=personas["county"], period=MARCH, today=TODAY)
    # on_time: the visit due 03-01 was made early (02-27), on time;
    # its next is due 03-27, still open: due twice in March, once on time; missed: due 03-01, never made.
    assert (figures.people, figures.due, figures.done_on_time, figures.overdue) == (2, 3, 1, 2)
    assert figures.completion_rate == Decimal("33.33") and figures.warning
    assert dict((str(label), value) for label, value in figures.rows())["逾期未回访"] == 2


def test_the_figures_of_a_town_count_only_its_people(personas):
    person(personas, "jinniu")
    person(personas, "dongwan")
    assert key_visit_figures(region=personas["shabei"], period=MARCH, today=TODAY).people == 1
    assert key_visit_figures(region=personas["county"], period=MARCH, today=TODAY).people == 2


def test_a_scope_limits_the_figures(personas):
    from sanling.accounts.scope import scope_for

    person(personas, "dongwan")
    figures = key_visit_figures(
        region=personas["county"], period=MARCH, scope=scope_for(personas["town_a"]), today=TODAY
    )
    assert figures.people == 0 and figures.completion_rate is None and not figures.warning


def test_visits_made_count_person_visits_in_the_period(personas):
    someone = person(personas, risk="high")
    for day in (3, 10, 17):
        key_person_visit_record(actor=None, person=someone, visited_on=datetime.date(2025, 3, day))
    assert key_visit_figures(region=personas["county"], period=MARCH, today=TODAY).visits == 3
