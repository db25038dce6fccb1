"""/api/v1/visits/ and /api/v1/households/: scoped, versioned, errors in Chinese."""

import datetime

import pytest
from django.utils import timezone

from sanling.visits.models import HouseholdVisit
from sanling.visits.services import household_visit_create

pytestmark = pytest.mark.django_db
DAY = "2025-03-03"


def body(**extra):
    return {
        "region": "411103001001",
        "household": "5号",
        "visited_on": DAY,
        "theme": "six_promotions",
        "persons_met": 3,
    } | extra


def test_a_town_operator_records_a_visit_through_the_api(personas, api_as):
    answer = api_as(personas["town_a"]).post("/api/v1/visits/", body(), format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["persons_met"] == 3
    assert HouseholdVisit.objects.get().visitor == personas["town_a"]


def test_a_region_outside_the_area_is_no_region_at_all(personas, api_as):
    answer = api_as(personas["town_a"]).post("/api/v1/visits/", body(region="411103100201"), format="json")
    assert answer.status_code == 400
    assert not HouseholdVisit.objects.exists()


def test_a_future_visit_is_refused_in_chinese(personas, api_as):
    future = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    answer = api_as(personas["town_a"]).post("/api/v1/visits/", body(visited_on=future), format="json")
    assert answer.status_code == 400
    assert "晚于今天" in str(answer.json())


def test_the_list_is_scoped_and_filtered(personas, scopes, api_as):
    for region, scope, theme in (
        (personas["jinniu"], scopes["town_a"], "publicity"),
        (personas["dongwan"], scopes["town_b"], "publicity"),
        (personas["grid"], scopes["town_a"], "six_promotions"),
    ):
        household_visit_create(
            scope=scope, region=region, household="1号", visited_on=datetime.date(2025, 3, 3), theme=theme
        )
    client = api_as(personas["town_a"])
    assert client.get("/api/v1/visits/").json()["count"] == 2
    assert client.get("/api/v1/visits/?theme=six_promotions&period=2025").json()["count"] == 1
    assert client.get("/api/v1/visits/?region=411103100201").status_code == 400
    assert api_as(personas["dept"]).get("/api/v1/visits/").json()["count"] == 0


def test_a_patch_needs_the_current_version(personas, scopes, api_as):
    visit = household_visit_create(
        scope=scopes["town_a"],
        region=personas["jinniu"],
        household="1号",
        visited_on=datetime.date(2025, 3, 3),
        theme="publicity",
    )
    client = api_as(personas["town_a"])
    url = f"/api/v1/visits/{visit.ref}/"
    assert client.patch(url, {"persons_met": 4, "version": 1}, format="json").status_code == 200
    assert client.patch(url, {"persons_met": 5, "version": 1}, format="json").status_code == 409
    assert client.patch(url, {"persons_met": 0, "version": 2}, format="json").status_code == 400
    assert HouseholdVisit.objects.get().persons_met == 4


def test_another_town_does_not_find_the_visit(personas, scopes, api_as):
    visit = household_visit_create(
        scope=scopes["town_a"],
        region=personas["jinniu"],
        household="1号",
        visited_on=datetime.date(2025, 3, 3),
        theme="publicity",
    )
    assert (
        api_as(personas["town_b"])
        .patch(f"/api/v1/visits/{visit.ref}/", {"persons_met": 4, "version": 1}, format="json")
        .status_code
        == 404
    )


def test_a_finding_opens_a_dispute_through_the_api(personas, scopes, api_as):
    visit = household_visit_create(
        scope=scopes["town_a"],
        region=personas["jinniu"],
        household="1号",
        visited_on=datetime.date(2025, 3, 3),
        theme="dispute_screening",
    )
    answer = api_as(personas["town_a"]).post(
        f"/api/v1/visits/{visit.ref}/dispute/", {"subject": "V1", "summary": "宅基地纠纷"}, format="json"
    )
    assert answer.status_code == 201
    assert HouseholdVisit.objects.get().dispute.ref == answer.json()["dispute"]


def test_household_counts_are_entered_and_corrected(personas, api_as):
    client = api_as(personas["town_a"])
    answer = client.post(
        "/api/v1/households/", {"region": "411103001001", "households": 800, "as_of": DAY}, format="json"
    )
    assert answer.status_code == 201, answer.json()
    again = client.post(
        "/api/v1/households/", {"region": "411103001001", "households": 900, "as_of": DAY}, format="json"
    )
    assert again.status_code == 400
    url = f"/api/v1/households/{answer.json()['id']}/"
    assert client.patch(url, {"households": 810, "version": 1}, format="json").json()["households"] == 810
    assert client.delete(url).status_code == 405
    assert api_as(personas["town_b"]).get(url).status_code == 404
