"""The pages: the list per colour of the reader's area, the changes, the rules (read and edit), the subject's
"why <colour>"."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sanling.alerts.models import Consequence, RegionThreshold, RuleSet
from sanling.alerts.selectors import rule_set_on
from sanling.alerts.services import watch_entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(world):
    for subject in ("jinniu_village", "school", "dongwan_village"):
        watch_entry_create(
            subject=world[subject], reason=f"{world[subject].name}关注", since=datetime.date(2025, 1, 1)
        )
    return world


def _codes(response) -> list[str]:
    return re.findall(r'<tr data-code="([^"]+)"', response.content.decode())


def test_the_list_shows_the_readers_area_with_reasons_counts_and_consequences(client, watched):
    client.force_login(watched["admin_user"])
    response = client.get(reverse("alerts:list"))
    assert response.status_code == 200
    assert _codes(response) == ["U1", "V1", "V2"]
    page = response.content.decode()
    assert "实验小学关注（2025-01-01 起）" in page
    assert "村（社区）网格员" in page  # the blue consequence
    assert 'data-colour="blue"><span class="dot level-blue"></span>' in page


def test_a_town_operator_sees_only_their_town_and_a_department_only_its_units(client, watched):
    client.force_login(watched["town_a"])
    assert _codes(client.get(reverse("alerts:list"))) == ["U1", "V1"]
    client.force_login(watched["dept"])
    assert _codes(client.get(reverse("alerts:list"))) == ["U1"]


def test_the_list_filters_by_colour_and_town(client, watched):
    client.force_login(watched["admin_user"])
    url = reverse("alerts:list")
    assert _codes(client.get(url, {"town": watched["shangqiao"].code})) == ["V2"]
    assert _codes(client.get(url, {"colour": "red"})) == []
    assert _codes(client.get(url, {"on": "2025-03-20", "colour": "red"})) == ["U2", "V1"]


def test_a_day_or_town_that_makes_no_sense_is_refused_in_chinese(client, watched):
    client.force_login(watched["town_a"])
    for query in ({"on": "2025-13-40"}, {"on": "2999-01-01"}, {"town": watched["shangqiao"].code}):
        response = client.get(reverse("alerts:list"), query)
        assert response.status_code == 200
        assert re.search(r'role="alert">[^<]*[\u4e00-\u9fff]{4}', response.content.decode())
        assert "V2" not in _codes(response)


def test_the_changes_page_lists_new_warnings(client, world):
    watch_entry_create(
        subject=world["school"], reason="关注", since=timezone.localdate() - datetime.timedelta(days=2)
    )
    client.force_login(world["town_a"])
    response = client.get(reverse("alerts:changes"))
    new = re.search(r'id="changes-new">(.*?)</table>', response.content.decode(), re.S).group(1)
    assert 'data-code="U1"' in new


def test_everyone_in_scope_reads_the_rules_but_only_the_county_administrator_edits_them(client, world):
    rule_set = rule_set_on(timezone.localdate())
    client.force_login(world["town_a"])
    page = client.get(reverse("alerts:rules")).content.decode()
    assert "本系统拟定" in page and "rule-set-new" not in page
    assert client.get(reverse("alerts:thresholds", args=[rule_set.pk])).status_code == 403
    assert (
        client.post(reverse("alerts:rule_set_new"), {"name": "x", "valid_from": "2030-01-01"}).status_code
        == 403
    )
    client.force_login(world["admin_user"])
    assert "rule-set-new" in client.get(reverse("alerts:rules")).content.decode()


def test_a_new_version_is_a_copy_of_the_one_in_force(client, world):
    client.force_login(world["admin_user"])
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(reverse("alerts:rule_set_new"), {"name": "修订版", "valid_from": day.isoformat()})
    assert response.status_code == 302
    version = RuleSet.objects.get(name="修订版")
    assert (
        version.rules.count() == 7 and version.thresholds.count() == 6 and version.consequences.count() == 4
    )


def test_an_overlapping_version_from_the_page_is_refused_and_nothing_written(client, world):
    client.force_login(world["admin_user"])
    day = timezone.localdate() + datetime.timedelta(days=10)
    client.post(reverse("alerts:rule_set_new"), {"name": "修订版", "valid_from": day.isoformat()})
    response = client.post(
        reverse("alerts:rule_set_new"),
        {
            "name": "重叠版",
            "valid_from": (day - datetime.timedelta(days=400)).isoformat(),
            "valid_to": day.isoformat(),
        },
    )
    assert response.status_code == 400
    assert "规则版本的有效期与" in response.content.decode()
    assert not RuleSet.objects.filter(name="重叠版").exists()


def test_thresholds_are_changed_from_the_page_and_a_bad_value_is_refused(client, world):
    rule_set = rule_set_on(timezone.localdate())
    client.force_login(world["admin_user"])
    url = reverse("alerts:thresholds", args=[rule_set.pk])
    values = {
        "village_red": "60",
        "village_orange": "75",
        "village_yellow": "85",
        "village_blue": "",
        "unit_red": "80",
        "unit_orange": "90",
        "unit_yellow": "95",
        "unit_blue": "",
    }
    assert client.post(url, values).status_code == 302
    assert RegionThreshold.objects.get(rule_set=rule_set, group="village", colour="red").below == 60
    response = client.post(url, values | {"unit_red": "abc"})
    assert response.status_code == 400 and "阈值应为" in response.content.decode()


def test_consequences_are_changed_from_the_page(client, world):
    rule_set = rule_set_on(timezone.localdate())
    client.force_login(world["admin_user"])
    values = {}
    for colour in ("red", "orange", "yellow", "blue"):
        values |= {f"{colour}_who": f"{colour}负责人", f"{colour}_days": "7", f"{colour}_action": "约谈"}
    values["red_roles"] = ["county_admin"]
    assert client.post(reverse("alerts:consequences", args=[rule_set.pk]), values).status_code == 302
    red = Consequence.objects.get(rule_set=rule_set, colour="red")
    assert (red.who, red.roles, red.check_every_days) == ("red负责人", ["county_admin"], 7)
    response = client.post(reverse("alerts:consequences", args=[rule_set.pk]), values | {"blue_days": "0"})
    assert response.status_code == 400 and "复核周期" in response.content.decode()
    assert Consequence.objects.get(rule_set=rule_set, colour="blue").check_every_days == 7


def test_a_rule_is_edited_from_the_page_and_bad_parameters_are_refused(client, world):
    rule = rule_set_on(timezone.localdate()).rules.get(condition="backlog_overdue")
    client.force_login(world["admin_user"])
    url = reverse("alerts:rule", args=[rule.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"colour": "orange", "label": "积案", "p_days": "-3", "enabled": "on"})
    assert response.status_code == 400 and "应在 0 至" in response.content.decode()
    assert (
        client.post(url, {"colour": "red", "label": "积案逾期", "p_days": "15", "enabled": "on"}).status_code
        == 302
    )
    rule.refresh_from_db()
    assert (rule.colour, rule.label, rule.parameters) == ("red", "积案逾期", {"days": 15})


def test_the_subject_page_says_why_it_has_its_colour(client, watched):
    client.force_login(watched["town_a"])
    page = client.get(reverse("subjects:detail", args=[watched["school"].pk])).content.decode()
    why = re.search(r'id="warning-why">(.*?)</section>', page, re.S).group(1)
    assert "实验小学关注" in why and "level-blue" in why


def test_a_county_user_lists_one_departments_units(client, watched):
    client.force_login(watched["admin_user"])
    response = client.get(reverse("alerts:list"), {"department": watched["education"].code})
    assert _codes(response) == ["U1"]
