"""/api/v1/meetings/: created with attendance and problems, scoped, PATCH with the version."""

import pytest

from sanling.meetings.models import Meeting
from sanling.meetings.services import meeting_create

from .conftest import FIVE

pytestmark = pytest.mark.django_db


def body(world, **overrides) -> dict:
    data = {
        "region": world["jinniu"].code,
        "kind": "510圆桌议事会",
        "held_on": world["today"].isoformat(),
        "attendance": [{"category": category, "name": name} for category, name in FIVE.items()],
        "problems": [{"text": "楼道灯坏", "open_case": "hazard", "hazard_category": "治安"}],
    }
    data.update(overrides)
    return data


def test_a_meeting_is_recorded_with_attendance_and_a_problem(api_as, meeting_world):
    response = api_as(meeting_world["town_a"]).post("/api/v1/meetings/", body(meeting_world), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert len(data["attendance"]) == 5
    assert data["problems"][0]["hazard"] == Meeting.objects.get().problems.get().hazard.ref


def test_a_meeting_without_its_participants_is_a_400_in_chinese(api_as, meeting_world):
    response = api_as(meeting_world["town_a"]).post(
        "/api/v1/meetings/", body(meeting_world, attendance=[]), format="json"
    )
    assert response.status_code == 400
    assert "党员代表" in str(response.json())
    assert not Meeting.objects.exists()


def test_a_meeting_in_another_town_is_a_400(api_as, meeting_world):
    response = api_as(meeting_world["town_a"]).post(
        "/api/v1/meetings/", body(meeting_world, region=meeting_world["dongwan"].code), format="json"
    )
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_a_patch_needs_the_current_version(api_as, meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    client = api_as(meeting_world["town_a"])
    url = f"/api/v1/meetings/{meeting.ref}/"
    assert client.patch(url, {"minutes": "纪要"}, format="json").status_code == 428
    assert client.patch(url, {"minutes": "纪要", "version": 1}, format="json").status_code == 200
    assert client.patch(url, {"minutes": "旧", "version": 1}, format="json").status_code == 409


def test_the_other_town_does_not_see_the_meeting(api_as, meeting_world):
    meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    assert api_as(meeting_world["town_b"]).get("/api/v1/meetings/").json()["results"] == []
