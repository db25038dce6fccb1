"""/api/v1/targets/: listed within the caller's area and the path above it, filtered; created, changed and
deleted by the county administrator only, through the services."""

import pytest

from sanling.targets.models import Target

from .conftest import THIS_YEAR
from .test_services import chinese

pytestmark = pytest.mark.django_db

URL = "/api/v1/targets/"


def test_the_county_administrator_creates_a_target(api_as, personas):
    body = {"year": THIS_YEAR, "region": personas["shabei"].code, "group": "unit", "indicator": "rate"}
    response = api_as(personas["admin_user"]).post(URL, {**body, "value": "92.5"}, format="json")
    assert response.status_code == 201, response.content
    assert response.json() | {"id": 0} == {
        "id": 0,
        "year": THIS_YEAR,
        "region": "411103001000",
        "group": "unit",
        "indicator": "rate",
        "value": 92.5,
        "note": "",
        "version": 1,
    }


def test_a_town_operator_cannot_create_a_target(api_as, personas):
    body = {"year": THIS_YEAR, "region": personas["shabei"].code, "group": "unit", "indicator": "rate"}
    response = api_as(personas["town_a"]).post(URL, {**body, "value": "92.5"}, format="json")
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_target_over_100_is_refused_with_the_reason(api_as, personas):
    body = {"year": THIS_YEAR, "region": personas["shabei"].code, "group": "unit", "indicator": "rate"}
    response = api_as(personas["admin_user"]).post(URL, {**body, "value": "101"}, format="json")
    assert response.status_code == 400
    assert chinese("A target is a percentage from 0 to 100.") in str(response.json())
    assert not Target.objects.exists()


def test_the_list_is_filtered_by_year_region_group_and_indicator(api_as, personas, county_targets):
    api = api_as(personas["admin_user"])
    listed = api.get(URL, {"year": THIS_YEAR, "group": "village"}).json()["results"]
    assert [(row["region"], row["value"]) for row in listed] == [("411103000000", 80), ("411103100000", 85)]
    listed = api.get(URL, {"region": personas["shangqiao"].code}).json()["results"]
    assert [row["value"] for row in listed] == [85]
    assert api.get(URL, {"indicator": "visit_completion"}).json()["results"] == []
    assert api.get(URL, {"year": THIS_YEAR - 1}).json()["results"] == []


def test_a_town_operator_lists_the_countys_targets_but_not_the_other_towns(api_as, personas, county_targets):
    listed = api_as(personas["town_a"]).get(URL).json()["results"]
    assert sorted((row["region"], row["group"]) for row in listed) == [
        ("411103000000", "unit"),
        ("411103000000", "village"),
    ]


def test_a_change_names_the_version(api_as, personas, county_targets):
    api = api_as(personas["admin_user"])
    target = county_targets["shangqiao"]
    url = f"{URL}{target.pk}/"
    assert api.patch(url, {"value": "88"}, format="json").status_code == 428
    response = api.patch(url, {"value": "88"}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert (response.json()["value"], response.json()["version"]) == (88, 2)
    assert api.patch(url, {"value": "60"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412


def test_the_county_administrator_deletes_a_target(api_as, personas, county_targets):
    target = county_targets["shangqiao"]
    response = api_as(personas["admin_user"]).delete(f"{URL}{target.pk}/", HTTP_IF_MATCH='"1"')
    assert response.status_code == 204
    assert not Target.objects.filter(pk=target.pk).exists()


def test_a_town_operator_cannot_change_the_countys_target(api_as, personas, county_targets):
    target = county_targets["village"]
    api = api_as(personas["town_a"])
    assert (
        api.patch(f"{URL}{target.pk}/", {"value": "10"}, format="json", HTTP_IF_MATCH='"1"').status_code
        == 403
    )
    assert api.delete(f"{URL}{target.pk}/", HTTP_IF_MATCH='"1"').status_code == 403
    target.refresh_from_db()
    assert str(target.value) == "80.00"
