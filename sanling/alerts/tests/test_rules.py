"""The rules: every colour from its condition, ties, versions, region thresholds, changes since last week."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanling.alerts.models import RegionThreshold, RuleSet
from sanling.alerts.selectors import (
    changes_since_last_week,
    region_colour,
    rule_set_on,
    subject_warnings,
)
from sanling.alerts.services import rule_save, rule_set_create, thresholds_set, watch_entry_create
from sanling.alerts.tests.conftest import DAY, codes

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2025, 3, 20)
APRIL = datetime.date(2025, 4, 10)


def _backlog(world, subject, deadline=datetime.date(2025, 3, 31)):
    from sanling.petitions.services import backlog_flag, petition_create

    petition = petition_create(
        subject=subject, received_on=datetime.date(2025, 3, 4), level="town", channel="visit", summary="征地"
    )
    return backlog_flag(
        item=petition.case,
        on=datetime.date(2025, 3, 4),
        responsible_organisation=world["org_shangqiao"],
        responsible_person="责任人",
        leader="包案领导",
        deadline=deadline,
    )


def _major_hazard(subject, due_on=datetime.date(2025, 3, 31)):
    from sanling.hazards.services import hazard_register

    return hazard_register(
        subject=subject,
        found_on=datetime.date(2025, 3, 5),
        category="消防安全",
        level="major",
        description="消防通道堵塞",
        due_on=due_on,
    )


def test_a_subject_that_broke_a_zero_this_month_is_red_with_the_event_as_its_reason(world):
    warnings = subject_warnings(region=world["county"], on=MARCH)
    red = {warning.subject_code: warning for warning in warnings if warning.colour == "red"}
    assert set(red) == {"V1", "U2"}
    assert red["V1"].reasons == ["近30天破零：破零案件 2025-03-03 金牛盗窃案"]


def test_a_zero_broken_more_than_thirty_days_ago_no_longer_makes_a_subject_red(world):
    assert "red" not in codes(subject_warnings(region=world["county"], on=APRIL)).values()


def test_an_overdue_backlog_case_makes_a_subject_orange(world):
    backlog = _backlog(world, world["dongwan_village"])
    assert "V2" not in codes(subject_warnings(region=world["county"], on=MARCH))
    [warning] = subject_warnings(region=world["county"], on=APRIL, colour="orange")
    assert warning.subject_code == "V2"
    assert warning.reasons == [f"积案逾期未化解：积案 {backlog.item.ref} 化解时限 2025-03-31，逾期 10 天"]


def test_an_overdue_major_hazard_makes_a_subject_orange_but_a_general_one_does_not(world):
    from sanling.hazards.services import hazard_register

    _major_hazard(world["school"])
    hazard_register(
        subject=world["jinniu_village"],
        found_on=datetime.date(2025, 3, 5),
        category="消防安全",
        level="general",
        description="灭火器过期",
        due_on=datetime.date(2025, 3, 31),
    )
    assert codes(subject_warnings(region=world["county"], on=APRIL)) == {"U1": "orange"}


def test_an_open_county_level_dispute_makes_a_subject_yellow(world):
    from sanling.disputes.services import dispute_create

    dispute = dispute_create(subject=world["school"], reported_on=DAY, summary="家校纠纷", level="county")
    [warning] = subject_warnings(region=world["county"], on=APRIL)
    assert (warning.subject_code, warning.colour) == ("U1", "yellow")
    assert dispute.ref in warning.reasons[0]


def test_missed_key_person_visits_in_a_village_make_it_yellow(world):
    from sanling.keypeople.services import key_person_create

    key_person_create(
        actor=None,
        region=world["jinniu"],
        category="mental_disorder",
        risk_level="medium",
        name="张某某",
        registered_on=datetime.date(2025, 1, 2),
    )
    warnings = subject_warnings(region=world["county"], on=datetime.date(2025, 6, 1))
    assert codes(warnings) == {"V1": "yellow"}
    assert warnings[0].reasons == ["重点人员走访逾期：重点人员走访逾期 1 人"]


def test_a_village_that_has_not_reported_its_visits_is_yellow_with_what_it_missed(world):
    # 盯报表 (中站区: "盯数据、盯报表、盯排名"): the county asks each village for a household visit a month.
    from sanling.accounts.scope import scope_for
    from sanling.reporting.services import duty_create
    from sanling.visits.services import household_visit_create

    duty_create(county=world["county"], level="village", source="visits", frequency="month")
    household_visit_create(
        scope=scope_for(world["town_b"]),
        region=world["dongwan"],
        household="1号",
        visited_on=datetime.date(2025, 6, 12),
        theme="six_promotions",
    )
    warnings = subject_warnings(region=world["county"], on=datetime.date(2025, 6, 30))
    assert codes(warnings) == {"V1": "yellow"}  # 东湾村 visited a household in June, 金牛社区 did not
    assert warnings[0].reasons == ["未按期报表：2025年6月无入户走访记录"]


def test_a_subject_on_the_watch_list_is_blue_while_it_is_listed(world):
    watch_entry_create(
        subject=world["school"],
        reason="周边治安复杂",
        since=datetime.date(2025, 4, 1),
        until=datetime.date(2025, 4, 30),
    )
    assert "U1" not in codes(subject_warnings(region=world["county"], on=MARCH))
    assert codes(subject_warnings(region=world["county"], on=APRIL))["U1"] == "blue"
    assert "U1" not in codes(subject_warnings(region=world["county"], on=datetime.date(2025, 5, 2)))


def test_of_two_rules_of_different_colours_the_most_severe_wins_with_its_reasons_only(world):
    watch_entry_create(subject=world["jinniu_village"], reason="关注", since=datetime.date(2025, 1, 1))
    [warning] = [w for w in subject_warnings(region=world["county"], on=MARCH) if w.subject_code == "V1"]
    assert warning.colour == "red"
    assert all("关注" not in reason for reason in warning.reasons)


def test_two_rules_of_the_same_colour_keep_both_reasons_in_rule_order(world):
    _major_hazard(world["dongwan_village"])
    _backlog(world, world["dongwan_village"])
    [warning] = subject_warnings(region=world["county"], on=APRIL)
    assert warning.colour == "orange"
    assert [reason.split("：")[0] for reason in warning.reasons] == ["积案逾期未化解", "重大隐患逾期未整改"]


def test_a_subject_not_yet_joined_or_retired_is_not_coloured(world):
    watch_entry_create(subject=world["school"], reason="关注", since=datetime.date(2025, 1, 1))
    assert "U1" not in codes(subject_warnings(region=world["county"], on=datetime.date(2025, 3, 1)))
    school = world["school"]
    school.retired_on = datetime.date(2025, 3, 31)
    school.save(update_fields=["retired_on"])
    assert "U1" in codes(subject_warnings(region=world["county"], on=datetime.date(2025, 3, 31)))
    assert "U1" not in codes(subject_warnings(region=world["county"], on=APRIL))


def test_the_list_is_most_severe_first_then_by_code_and_filters_by_colour(world):
    watch_entry_create(subject=world["school"], reason="关注", since=datetime.date(2025, 1, 1))
    warnings = subject_warnings(region=world["county"], on=MARCH)
    assert [(w.subject_code, w.colour) for w in warnings] == [("U2", "red"), ("V1", "red"), ("U1", "blue")]
    assert [w.subject_code for w in subject_warnings(region=world["county"], on=MARCH, colour="blue")] == [
        "U1"
    ]


def test_a_town_operator_sees_only_their_towns_warnings_and_a_department_only_its_units(world):
    from sanling.accounts.scope import scope_for

    watch_entry_create(subject=world["school"], reason="关注", since=datetime.date(2025, 1, 1))
    town = subject_warnings(region=world["county"], on=MARCH, scope=scope_for(world["town_a"]))
    assert codes(town) == {"V1": "red", "U1": "blue"}
    dept = subject_warnings(region=world["county"], on=MARCH, scope=scope_for(world["dept"]))
    assert codes(dept) == {"U1": "blue"}


def test_a_new_version_is_used_from_its_first_day_and_the_old_one_before(world):
    current = rule_set_on(MARCH)
    version = rule_set_create(name="2025年修订", valid_from=datetime.date(2025, 4, 1), copy_from=current)
    watch = version.rules.get(condition="on_watch_list")
    rule_save(rule_set=version, rule=watch, colour="yellow", condition="on_watch_list", label="重点关注")
    watch_entry_create(subject=world["school"], reason="关注", since=datetime.date(2025, 1, 1))
    assert codes(subject_warnings(region=world["county"], on=MARCH))["U1"] == "blue"
    [warning] = subject_warnings(region=world["county"], on=APRIL)
    assert (warning.colour, warning.reasons) == ("yellow", ["重点关注：关注（2025-01-01 起）"])
    current.refresh_from_db()
    assert current.valid_to == datetime.date(2025, 3, 31)


def test_an_overlapping_version_is_refused_in_chinese_and_nothing_is_written(world):
    rule_set_create(name="2025年修订", valid_from=datetime.date(2025, 4, 1), copy_from=rule_set_on(MARCH))
    before = RuleSet.objects.count()
    with pytest.raises(ValidationError) as refused:
        rule_set_create(
            name="重叠",
            valid_from=datetime.date(2025, 3, 1),
            valid_to=datetime.date(2025, 5, 31),
            close_previous=False,
        )
    assert "规则版本的有效期与" in str(refused.value) and "重叠" in str(refused.value)
    assert RuleSet.objects.count() == before


def test_rule_parameters_are_checked_per_condition(world):
    rule_set = rule_set_on(MARCH)
    for parameters, message in (
        ({"days": -1}, "应在 0 至"),
        ({"days": "七"}, "应为整数"),
        ({"weeks": 1}, "没有参数"),
    ):
        with pytest.raises(ValidationError) as refused:
            rule_save(
                rule_set=rule_set,
                colour="orange",
                condition="backlog_overdue",
                label="积案",
                parameters=parameters,
            )
        assert message in str(refused.value)
    with pytest.raises(ValidationError):
        rule_save(rule_set=rule_set, colour="purple", condition="on_watch_list", label="关注")
    assert rule_set.rules.count() == 7


def test_a_rules_parameter_changes_what_it_finds(world):
    _backlog(world, world["dongwan_village"])
    rule_set = rule_set_on(APRIL)
    rule = rule_set.rules.get(condition="backlog_overdue")
    rule_save(
        rule_set=rule_set,
        rule=rule,
        colour="orange",
        condition="backlog_overdue",
        label="积案",
        parameters={"days": 30},
    )
    assert subject_warnings(region=world["county"], on=APRIL) == []


def test_a_region_is_coloured_by_its_groups_thresholds(world):
    assert region_colour(group="village", rate=Decimal("75")) == "orange"
    assert region_colour(group="unit", rate=Decimal("75")) == "red"
    assert region_colour(group="unit", rate=Decimal("92")) == "yellow"
    assert region_colour(group="village", rate=Decimal("92")) == ""
    assert region_colour(group="village", rate=None) == ""


def test_thresholds_follow_the_version_in_force_on_the_day(world):
    version = rule_set_create(name="新版", valid_from=datetime.date(2025, 4, 1), copy_from=rule_set_on(MARCH))
    thresholds_set(rule_set=version, group="village", values={"red": "80", "orange": "85", "yellow": "95"})
    assert region_colour(group="village", rate=Decimal("79"), on=MARCH) == "orange"
    assert region_colour(group="village", rate=Decimal("79"), on=APRIL) == "red"


def test_thresholds_out_of_order_are_refused_and_nothing_is_written(world):
    rule_set = rule_set_on(MARCH)
    with pytest.raises(ValidationError) as refused:
        thresholds_set(rule_set=rule_set, group="unit", values={"red": "90", "orange": "85"})
    assert "应低于" in str(refused.value)
    assert RegionThreshold.objects.filter(rule_set=rule_set, group="unit").count() == 3


def test_changes_since_last_week_show_new_escalated_eased_and_cleared(world):
    from sanling.disputes.services import dispute_create

    # V2: watched from 04-05 (new); U1: blue a week ago, orange now (escalated)
    watch_entry_create(subject=world["dongwan_village"], reason="关注", since=datetime.date(2025, 4, 5))
    watch_entry_create(subject=world["school"], reason="关注", since=datetime.date(2025, 3, 1))
    _major_hazard(world["school"], due_on=datetime.date(2025, 4, 5))
    # U2: yellow (county dispute) and red (broke a zero in March) a week ago → yellow (eased); V1 red → cleared
    dispute_create(subject=world["factory"], reported_on=DAY, summary="劳资纠纷", level="county")
    changes = changes_since_last_week(region=world["county"], on=datetime.date(2025, 4, 6))
    found = {
        kind: [(c.warning.subject_code, c.before, c.after) for c in rows] for kind, rows in changes.items()
    }
    assert found == {
        "new": [("V2", "", "blue")],
        "escalated": [("U1", "blue", "orange")],
        "eased": [("U2", "red", "yellow")],
        "cleared": [("V1", "red", "")],
    }


def test_a_database_without_rules_gets_the_default_rule_set_back(world):
    RuleSet.objects.all().delete()
    rule_set = rule_set_on(MARCH)
    assert "本系统拟定" in rule_set.name and rule_set.rules.count() == 7
