"""A dispute is a case worked up the 三级过滤网 ("小事不出村、大事不出乡"): every move of its transition table
is allowed or refused, and every allowed move leaves a timeline entry on its case."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from sanling.disputes.models import DisputeStatus
from sanling.disputes.services import (
    ALLOWED,
    check_transition,
    dispute_create,
    dispute_escalate,
    dispute_fail,
    dispute_mediate,
    dispute_resolve,
    dispute_to_litigation,
    dispute_update,
)
from sanling.work.transitions import TransitionRefused

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)
STATUSES = list(DisputeStatus.values)
CLOSED = {"resolved", "failed", "petitioned", "litigated"}


@pytest.mark.parametrize(("current", "new"), list(itertools.product(STATUSES, STATUSES)))
def test_every_pair_of_statuses_is_allowed_or_refused_by_the_table(current, new):
    expected = new == current or new in ALLOWED[current]
    if expected:
        check_transition(current, new)
    else:
        with pytest.raises(TransitionRefused):
            check_transition(current, new)


def test_the_table_closes_resolved_petitioned_and_litigated_cases_for_good():
    assert {status for status, moves in ALLOWED.items() if not moves} == {
        "resolved",
        "petitioned",
        "litigated",
    }
    assert "open" not in set().union(*ALLOWED.values())  # nothing goes back to 登记


def test_a_dispute_goes_up_the_three_levels_and_is_resolved_at_the_town(casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="宅基地边界纠纷")
    assert (dispute.level, dispute.case.organisation, dispute.case.step) == (
        "group",
        casework["org_jinniu"],
        "open",
    )
    dispute = dispute_escalate(dispute=dispute, on=DAY, to_level="village")
    dispute = dispute_mediate(dispute=dispute, on=DAY + datetime.timedelta(days=1), diagnosis="clinic")
    dispute = dispute_escalate(dispute=dispute, on=DAY + datetime.timedelta(days=5), to_level="town")
    assert dispute.case.organisation == casework["org_shabei"] and dispute.case.is_open
    dispute = dispute_resolve(dispute=dispute, on=DAY + datetime.timedelta(days=9), method="people")
    case = dispute.case
    case.refresh_from_db()
    assert (dispute.status, dispute.resolved_level, case.closed_on) == (
        "resolved",
        "town",
        DAY + datetime.timedelta(days=9),
    )
    assert [entry.action for entry in case.timeline.all()] == [
        "register",
        "escalate",
        "mediate",
        "escalate",
        "resolve",
    ]
    assert case.ref == dispute.ref  # one case, one code


def test_resolved_dispute_cannot_be_reopened_or_resolved_again(casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="噪音")
    dispute = dispute_resolve(dispute=dispute, on=DAY, method="people")
    with pytest.raises(TransitionRefused, match="已化解"):
        dispute_update(
            dispute=dispute, version=None, status="open", resolved_level="", resolved_on=None, method=""
        )
    with pytest.raises(TransitionRefused):
        dispute_resolve(dispute=dispute, on=DAY, method="people")
    with pytest.raises(TransitionRefused):
        dispute_to_litigation(dispute=dispute, on=DAY)


def test_skipping_a_level_needs_a_reason(casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="土地")
    with pytest.raises(ValidationError, match="理由"):
        dispute_escalate(dispute=dispute, on=DAY, to_level="town")
    dispute = dispute_escalate(dispute=dispute, on=DAY, to_level="town", note="涉及两村，村级无法调处")
    assert dispute.level == "town"


def test_escalating_down_or_sideways_is_refused(casework):
    dispute = dispute_create(
        subject=casework["jinniu_village"], reported_on=DAY, summary="土地", level="town"
    )
    with pytest.raises(TransitionRefused):
        dispute_escalate(dispute=dispute, on=DAY, to_level="village")


def test_a_step_dated_before_the_previous_one_is_refused_and_writes_nothing(casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="土地")
    with pytest.raises(ValidationError, match="之前|早于|前一"):
        dispute_fail(dispute=dispute, on=DAY - datetime.timedelta(days=1))
    dispute.refresh_from_db()
    assert dispute.status == "open" and dispute.case.timeline.count() == 1


def test_a_resolution_above_the_level_reached_is_refused(casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="土地")
    with pytest.raises(ValidationError):
        dispute_resolve(dispute=dispute, on=DAY, method="people", level="county")


def test_an_imported_resolved_dispute_is_a_closed_case(casework):
    dispute = dispute_create(
        subject=casework["jinniu_village"],
        reported_on=DAY,
        summary="旧台账",
        status="resolved",
        resolved_level="town",
        resolved_on=DAY,
        method="people",
    )
    assert (dispute.level, dispute.case.closed_on) == ("town", DAY)


def test_a_refused_move_reads_as_one_chinese_sentence(casework):
    from django.utils import translation

    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="噪音")
    dispute = dispute_fail(dispute=dispute, on=DAY)
    with translation.override("zh-hans"), pytest.raises(TransitionRefused) as refusal:
        dispute_resolve(dispute=dispute, on=DAY, method="people")
    assert refusal.value.message == "处于“调解不成”状态的纠纷不能化解。"


def test_an_edit_cannot_turn_a_dispute_into_a_petition_without_its_petition_case(casework):
    dispute = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="征地")
    with pytest.raises(TransitionRefused, match="转信访"):
        dispute_update(dispute=dispute, version=None, status="petitioned")
    dispute.refresh_from_db()
    assert dispute.status == "open" and not dispute.case.petitions.exists()
