"""/api/v1/warnings/ and /api/v1/warning-rule-sets/: scope-checked reads, rules written by the county
administrator only, through the services."""

import datetime

import pytest

from sanling.alerts.models import RuleSet
from sanling.alerts.services import watch_entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def watched(world):
    for subject in ("jinniu_village", "school", "dongwan_village"):
        watch_entry_create(subject=world[subject], reason="关注", since=datetime.date(2025, 1, 1))
    return world


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_the_list_is_the_callers_area_with_colour_and_reasons(api_as, watched):
    api = api_as(watched["admin_user"])
    response = api.get("/api/v1/warnings/", {"on": "2025-03-20"})
    rows = response.json()["results"]
    assert [(row["code"], row["colour"]) for row in rows] == [
        ("U2", "red"),
        ("V1", "red"),
        ("U1", "blue"),
        ("V2", "blue"),
    ]
    assert (
        rows[2]["reasons"] == ["列入关注名单：关注（2025-01-01 起）"]
        and rows[2]["region"] == watched["grid"].code
    )


def test_filters_by_region_colour_and_period(api_as, watched):
    api = api_as(watched["admin_user"])
    assert _codes(api.get("/api/v1/warnings/", {"period": "2025-03", "colour": "red"})) == ["U2", "V1"]
    assert _codes(
        api.get("/api/v1/warnings/", {"region": watched["shangqiao"].code, "period": "2025-03"})
    ) == [
        "U2",
        "V2",
    ]


def test_a_town_operator_sees_only_their_subtree_and_a_department_only_its_units(api_as, watched):
    assert _codes(api_as(watched["town_a"]).get("/api/v1/warnings/", {"on": "2025-03-20"})) == ["V1", "U1"]
    assert _codes(api_as(watched["dept"]).get("/api/v1/warnings/", {"on": "2025-03-20"})) == ["U1"]
    outside = api_as(watched["town_a"]).get("/api/v1/warnings/", {"region": watched["shangqiao"].code})
    assert outside.status_code == 404


@pytest.mark.parametrize("query", [{"period": "2025-13"}, {"on": "2999-01-01"}, {"colour": "green"}])
def test_a_bad_filter_is_refused(api_as, watched, query):
    assert api_as(watched["admin_user"]).get("/api/v1/warnings/", query).status_code == 400


def test_everyone_reads_the_rule_sets_only_the_county_administrator_writes(api_as, world):
    town = api_as(world["town_a"])
    [rule_set] = town.get("/api/v1/warning-rule-sets/").json()["results"]
    assert rule_set["in_force"] and len(rule_set["rules"]) == 7 and len(rule_set["thresholds"]) == 6
    body = {"name": "新版", "valid_from": "2030-01-01"}
    assert town.post("/api/v1/warning-rule-sets/", body, format="json").status_code == 403
    url = f"/api/v1/warning-rule-sets/{rule_set['id']}/thresholds/"
    assert town.post(url, {"group": "unit", "values": {"red": "50"}}, format="json").status_code == 403
    assert RuleSet.objects.count() == 1


def test_the_county_administrator_makes_a_version_and_changes_its_thresholds(api_as, world):
    admin = api_as(world["admin_user"])
    created = admin.post(
        "/api/v1/warning-rule-sets/", {"name": "新版", "valid_from": "2030-01-01"}, format="json"
    )
    assert created.status_code == 201, created.content
    new = created.json()
    assert len(new["rules"]) == 7
    url = f"/api/v1/warning-rule-sets/{new['id']}/thresholds/"
    changed = admin.post(url, {"group": "unit", "values": {"red": "85", "orange": "92"}}, format="json")
    assert changed.status_code == 200
    unit = {row["colour"]: row["below"] for row in changed.json()["thresholds"] if row["group"] == "unit"}
    assert unit == {"red": 85.0, "orange": 92.0}
    refused = admin.post(url, {"group": "unit", "values": {"red": "95", "orange": "92"}}, format="json")
    assert refused.status_code == 400


def test_an_overlapping_version_is_refused_through_the_api(api_as, world):
    admin = api_as(world["admin_user"])
    admin.post("/api/v1/warning-rule-sets/", {"name": "新版", "valid_from": "2030-01-01"}, format="json")
    first = RuleSet.objects.order_by("valid_from").first()
    response = admin.patch(
        f"/api/v1/warning-rule-sets/{first.pk}/",
        {"valid_to": "2030-06-30"},
        format="json",
        HTTP_IF_MATCH=f'"{first.version}"',
    )
    assert response.status_code == 400
    assert "重叠" in response.content.decode()
    first.refresh_from_db()
    assert first.valid_to == datetime.date(2029, 12, 31)
