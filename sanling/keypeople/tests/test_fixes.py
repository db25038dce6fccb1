"""Rules added with the review fixes: the duplicate check within and outside a writer's area, the cross-area
duplicates a county sees, the frequency bounds, the current month's figures and the work item's organisation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.keypeople.figures import key_visit_figures
from sanling.keypeople.selectors import cross_area_duplicates
from sanling.keypeople.services import key_person_create, key_person_visit_record, visit_frequency_set
from sanling.work.deadlines import add_period

pytestmark = pytest.mark.django_db

B_ID = "110105199002024561"  # person_b's, in 东湾村 (商桥)


def register(actor, region, id_number, **more):
    return key_person_create(
        actor=actor,
        region=region,
        category="other",
        risk_level="low",
        name="某人",
        id_number=id_number,
        registered_on=datetime.date(2025, 2, 1),
        **more,
    )


def test_a_duplicate_in_the_writers_own_area_is_refused_in_clear(people):
    with pytest.raises(ValidationError) as refused:
        register(people["town_a"], people["jinniu"], "110105198001011238")  # person_a's
    assert "id_number" in refused.value.message_dict


def test_a_duplicate_outside_the_writers_area_is_saved_and_shown_only_to_a_scope_holding_both(people):
    """PIPL: the 沙北 writer learns nothing about 商桥's record; the county reconciles the pair."""
    twin = register(people["town_a"], people["jinniu"], B_ID)
    county_sees = cross_area_duplicates(scope_for(people["admin_user"]))
    assert [{p.ref for p in group} for group in county_sees] == [{twin.ref, "KP-B"}]
    assert cross_area_duplicates(scope_for(people["town_a"])) == []
    assert cross_area_duplicates(scope_for(people["town_b"])) == []


def test_the_county_list_names_the_pair_and_the_town_list_does_not(client, people):
    register(people["town_a"], people["jinniu"], B_ID)
    client.force_login(people["admin_user"])
    assert 'id="cross-area-duplicates"' in client.get(reverse("keypeople:list")).content.decode()
    client.force_login(people["town_a"])
    content = client.get(reverse("keypeople:list")).content.decode()
    assert 'id="cross-area-duplicates"' not in content and "东湾" not in content


@pytest.mark.parametrize(("amount", "unit"), [(0, "days"), (366, "days"), (13, "months"), (0, "months")])
def test_a_frequency_out_of_bounds_is_refused_on_the_amount(personas, amount, unit):
    with pytest.raises(ValidationError) as refused:
        visit_frequency_set(
            actor=None,
            county=personas["county"],
            category="other",
            risk_level="low",
            amount=amount,
            unit=unit,
        )
    assert "amount" in refused.value.message_dict
    assert "key_visit_frequency" not in str(refused.value)


def test_a_frequency_at_the_bounds_is_kept(personas):
    for amount, unit in ((365, "days"), (12, "months"), (1, "days")):
        row = visit_frequency_set(
            actor=None,
            county=personas["county"],
            category="other",
            risk_level="low",
            amount=amount,
            unit=unit,
        )
        assert (row.amount, row.unit) == (amount, unit)


def test_a_period_past_the_calendars_end_ends_on_its_last_day():
    assert add_period(datetime.date(2025, 1, 1), 99999999, "days") == datetime.date.max
    assert add_period(datetime.date(2025, 1, 1), 99999999, "months") == datetime.date.max


def test_visits_made_early_in_the_current_month_count_on_its_first_day(personas):
    """On the 1st, a visit made that day for a due date later in the month is the month's visit, done on
    time: the rate is 100 %, not “—”."""
    someone = register(None, personas["jinniu"], "")  # low: every 3 months, due 2025-05-01
    key_person_visit_record(actor=None, person=someone, visited_on=datetime.date(2025, 4, 28))  # due 07-28
    figures = key_visit_figures(
        region=personas["county"], period=Period.month(2025, 7), today=datetime.date(2025, 7, 1)
    )
    assert (figures.due, figures.done_on_time, figures.overdue) == (0, 0, 0)
    key_person_visit_record(actor=None, person=someone, visited_on=datetime.date(2025, 7, 1))
    figures = key_visit_figures(
        region=personas["county"], period=Period.month(2025, 7), today=datetime.date(2025, 7, 1)
    )
    assert (figures.due, figures.done_on_time) == (1, 1) and figures.completion_rate == 100


def test_a_released_person_is_not_counted_after_the_release(personas):
    from sanling.keypeople.services import key_person_release

    someone = register(None, personas["jinniu"], "")
    key_person_release(actor=None, person=someone, on=datetime.date(2025, 3, 10), reason="迁出")
    april = key_visit_figures(
        region=personas["county"], period=Period.month(2025, 4), today=datetime.date(2025, 5, 1)
    )
    march = key_visit_figures(
        region=personas["county"], period=Period.month(2025, 3), today=datetime.date(2025, 5, 1)
    )
    assert (april.people, march.people) == (0, 1)


def test_the_work_item_is_filed_under_the_villages_comprehensive_centre(personas):
    from sanling.organisations.services import organisation_create

    centre = organisation_create(
        code="JN-ZZZX", name="金牛社区综治中心", kind="comprehensive_centre", region=personas["jinniu"]
    )
    someone = register(None, personas["grid"], "")
    assert someone.case.organisation == centre


def test_without_an_organisation_the_work_item_has_none(personas):
    assert register(None, personas["jinniu"], "").case.organisation is None
