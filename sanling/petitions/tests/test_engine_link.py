"""Work feeds the engine only through events: "a village that was 达标 stops being 达标 the day its dispute
reaches the county as a petition, and is 达标 again when that petition is marked 须由上级解决"."""

import datetime

import pytest

from sanling.assessment.periods import Period
from sanling.assessment.selectors import subject_status
from sanling.assessment.services import assessment_check
from sanling.disputes.services import dispute_create, dispute_to_petition
from sanling.events.services import event_update
from sanling.petitions.services import (
    ALLOWED,
    petition_accept,
    petition_conclude,
    petition_create,
    petition_escalate,
    petition_extend,
    petition_reply,
)
from sanling.work.models import DeadlineRuleSet
from sanling.work.transitions import TransitionRefused

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)
MARCH = Period.parse("2025-03")


def compliant(subject) -> bool:
    return subject_status(subject=subject, period=MARCH).compliant


def test_a_dispute_turned_into_a_county_petition_breaks_zero_petitions_the_same_day(casework):
    village = casework["dongwan_village"]
    assert compliant(village)
    dispute = dispute_create(subject=village, reported_on=DAY, summary="征地补偿纠纷")
    petition = dispute_to_petition(
        dispute=dispute, on=DAY + datetime.timedelta(days=2), petition_level="county"
    )
    assert petition.ref == dispute.ref == petition.event.ref == petition.case.ref  # 一案一码
    assert petition.event.occurred_on == DAY + datetime.timedelta(days=2)
    assert petition.case.kind == "petition" and petition.case.organisation == casework["org_petition"]
    assert not compliant(village)
    event_update(event=petition.event, version=None, higher_authority_required=True)
    assert compliant(village)
    assert assessment_check() == []


def test_a_town_petition_records_no_event_until_it_reaches_the_county(casework):
    village = casework["dongwan_village"]
    petition = petition_create(
        subject=village, received_on=DAY, level="town", channel="visit", summary="拖欠工资"
    )
    assert petition.event is None and compliant(village)
    petition = petition_escalate(
        petition=petition, on=DAY + datetime.timedelta(days=1), level="county", bypass=True
    )
    assert petition.event.occurred_on == DAY + datetime.timedelta(days=1) and petition.bypass
    assert not compliant(village)
    assert assessment_check() == []


def test_the_seed_rule_set_gives_seven_days_and_three_calendar_months(casework):
    seed = DeadlineRuleSet.objects.get(code="seed-7d-3m")
    received = datetime.date(2025, 3, 1)
    assert seed.accept_due(received) == datetime.date(2025, 3, 8)
    assert seed.result_due(received_on=received, accepted_on=datetime.date(2025, 3, 6)) == datetime.date(
        2025, 6, 1
    )
    seed.counties.add(casework["county"])
    petition = petition_create(
        subject=casework["dongwan_village"], received_on=DAY, level="town", channel="letter", summary="道路"
    )
    assert (
        petition.accept_due_on == datetime.date(2025, 3, 10)
        and petition.case.due_on == petition.accept_due_on
    )
    petition = petition_accept(petition=petition, on=datetime.date(2025, 3, 5))
    assert (
        petition.result_due_on == datetime.date(2025, 6, 3) and petition.case.due_on == petition.result_due_on
    )


def test_the_regulation_rule_set_extends_once_by_thirty_days_with_a_reason(casework):
    petition = petition_create(
        subject=casework["dongwan_village"], received_on=DAY, level="town", channel="letter", summary="道路"
    )
    assert petition.accept_due_on == DAY + datetime.timedelta(days=15)
    petition = petition_accept(petition=petition, on=DAY)
    assert petition.result_due_on == DAY + datetime.timedelta(days=60)
    petition = petition_extend(petition=petition, on=DAY + datetime.timedelta(days=50), note="需多部门会商")
    assert petition.result_due_on == DAY + datetime.timedelta(days=90)
    with pytest.raises(TransitionRefused, match="延期"):
        petition_extend(petition=petition, on=DAY + datetime.timedelta(days=51), note="再延")
    timeline = [entry.action for entry in petition.case.timeline.all()]
    assert timeline == ["register", "accept", "extend"]


def test_a_petition_is_concluded_only_after_its_reply(casework):
    petition = petition_create(
        subject=casework["dongwan_village"], received_on=DAY, level="town", channel="letter", summary="道路"
    )
    with pytest.raises(TransitionRefused):
        petition_conclude(petition=petition, on=DAY)
    petition = petition_accept(petition=petition, on=DAY)
    petition = petition_reply(petition=petition, on=DAY + datetime.timedelta(days=20))
    petition = petition_conclude(
        petition=petition, on=DAY + datetime.timedelta(days=40), satisfaction="satisfied"
    )
    assert petition.case.closed_on == DAY + datetime.timedelta(days=40)


@pytest.mark.parametrize("current", list(ALLOWED))
@pytest.mark.parametrize("new", list(ALLOWED))
def test_every_pair_of_petition_steps_is_allowed_or_refused_by_the_table(current, new):
    from sanling.petitions.services import check_transition

    if new in ALLOWED[current]:
        check_transition(current, new, "move")  # the table alone: "move" is no action with a start of its own
    else:
        with pytest.raises(TransitionRefused):
            check_transition(current, new, "move")


@pytest.mark.parametrize("action", ["accept", "extend", "reply", "review", "conclude"])
@pytest.mark.parametrize("current", list(ALLOWED))
def test_each_action_starts_only_from_its_own_steps(action, current):
    from sanling.petitions.services import STARTS_FROM, check_transition

    target = {"accept": "handling", "extend": "handling", "reply": "replied", "conclude": "concluded"}.get(
        action, "re_review" if current == "review" else "review"
    )
    if current in STARTS_FROM[action] and target in ALLOWED[current]:
        check_transition(current, target, action)
    else:
        with pytest.raises(TransitionRefused):
            check_transition(current, target, action)


def test_a_concluded_petition_goes_nowhere_and_nothing_returns_to_received():
    assert ALLOWED["concluded"] == frozenset()
    assert "received" not in set().union(*ALLOWED.values())
