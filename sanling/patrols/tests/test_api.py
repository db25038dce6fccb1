"""/api/v1/patrols/ and /api/v1/patrol-teams/: scoped like the pages, PATCH names the version, bad input
is a 400 in Chinese with nothing written."""

import datetime

import pytest

from sanling.patrols.models import PatrolLog
from sanling.patrols.services import patrol_log_create

from .conftest import log_arguments

pytestmark = pytest.mark.django_db


def body(world, **overrides) -> dict:
    started = world["yesterday"]
    data = {
        "team": world["team"].pk,
        "shift": world["day"].pk,
        "region": world["grid"].code,
        "started_at": started.isoformat(),
        "ended_at": (started + datetime.timedelta(hours=2)).isoformat(),
        "route": "金牛社区沿街",
        "defence_type": "技防",
        "participants": 2,
        "residents_contacted": 18,
    }
    data.update(overrides)
    return data


def test_a_patrol_is_recorded_through_the_api(api_as, patrol_world):
    response = api_as(patrol_world["town_a"]).post("/api/v1/patrols/", body(patrol_world), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == patrol_world["grid"].code
    assert PatrolLog.objects.get().defence_type == "技防"


def test_a_finding_opens_a_hazard_through_the_api(api_as, patrol_world):
    response = api_as(patrol_world["town_a"]).post(
        "/api/v1/patrols/",
        body(
            patrol_world,
            findings="路灯损坏",
            open_case="hazard",
            hazard_category="治安",
            hazard_level="general",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["hazard"] == PatrolLog.objects.get().hazard.ref


def test_a_patrol_in_another_town_is_a_400_and_nothing_is_written(api_as, patrol_world):
    response = api_as(patrol_world["town_a"]).post(
        "/api/v1/patrols/", body(patrol_world, region=patrol_world["dongwan"].code), format="json"
    )
    assert response.status_code == 400
    assert not PatrolLog.objects.exists()


def test_an_end_before_the_start_is_a_400_in_chinese(api_as, patrol_world):
    started = patrol_world["yesterday"]
    response = api_as(patrol_world["town_a"]).post(
        "/api/v1/patrols/",
        body(patrol_world, ended_at=(started - datetime.timedelta(hours=1)).isoformat()),
        format="json",
    )
    assert response.status_code == 400
    assert "结束时间必须晚于开始时间" in str(response.json())
    assert not PatrolLog.objects.exists()


def test_a_patch_needs_the_current_version(api_as, patrol_world):
    log = patrol_log_create(**log_arguments(patrol_world))
    client = api_as(patrol_world["town_a"])
    url = f"/api/v1/patrols/{log.ref}/"
    assert client.patch(url, {"residents_contacted": 40}, format="json").status_code == 428
    assert client.patch(url, {"residents_contacted": 40, "version": 1}, format="json").status_code == 200
    assert client.patch(url, {"residents_contacted": 50, "version": 1}, format="json").status_code == 409
    log.refresh_from_db()
    assert (log.residents_contacted, log.version) == (40, 2)


def test_teams_are_listed_with_their_shifts(api_as, patrol_world):
    response = api_as(patrol_world["town_a"]).get("/api/v1/patrol-teams/")
    team = response.json()["results"][0]
    assert [shift["name"] for shift in team["shifts"]] == ["白班", "夜班"]


def test_the_other_town_does_not_see_the_patrols(api_as, patrol_world):
    patrol_log_create(**log_arguments(patrol_world))
    assert api_as(patrol_world["town_b"]).get("/api/v1/patrols/").json()["results"] == []
