"""/api/v1/hazards/ and /api/v1/inspections/: scoped, the moves like issue 17's case API (409 for a refused
move, Chinese 400s, version)."""

import pytest

from sanling.hazards.models import Hazard, HazardStatus

from .helpers import photo


def _url(hazard, move=""):
    return f"/api/v1/hazards/{hazard.ref}/" + (f"{move}/" if move else "")


@pytest.mark.django_db
def test_the_list_is_scoped(hazard_world, api_as):
    mine = api_as(hazard_world["town_a"]).get("/api/v1/hazards/").json()
    theirs = api_as(hazard_world["town_b"]).get("/api/v1/hazards/").json()
    assert [row["ref"] for row in mine["results"]] == [hazard_world["hazard"].ref]
    assert theirs["results"] == []
    assert api_as(hazard_world["town_b"]).get(_url(hazard_world["hazard"])).status_code == 404


@pytest.mark.django_db
def test_reporting_a_hazard_opens_its_case(hazard_world, api_as):
    answer = api_as(hazard_world["town_a"]).post(
        "/api/v1/hazards/",
        {
            "subject": "U1",
            "category": "燃气安全",
            "level": "major",
            "description": "厨房燃气软管老化",
            "found_on": hazard_world["today"].isoformat(),
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["status"] == "rectifying" and body["due_on"]
    assert Hazard.objects.get(ref=body["ref"]).case.kind == "hazard"


@pytest.mark.django_db
def test_a_category_not_in_the_list_is_a_chinese_400(hazard_world, api_as):
    answer = api_as(hazard_world["town_a"]).post(
        "/api/v1/hazards/",
        {
            "subject": "U1",
            "category": "外星人",
            "level": "general",
            "description": "x",
            "found_on": "2025-05-01",
        },
        format="json",
    )
    assert answer.status_code == 400
    assert "category" in answer.json()["errors"] or "category" in str(answer.json())


@pytest.mark.django_db
def test_request_recheck_with_a_photo_then_recheck_by_another(hazard_world, api_as):
    hazard = hazard_world["hazard"]
    today = hazard_world["today"].isoformat()
    asked = api_as(hazard_world["grid_a"]).post(
        _url(hazard, "request-recheck"),
        {"on": today, "note": "已清理", "photo": [photo()]},
        format="multipart",
    )
    assert asked.status_code == 200, asked.content
    assert asked.json()["status"] == HazardStatus.RECHECK_REQUESTED
    same = api_as(hazard_world["grid_a"]).post(
        _url(hazard, "recheck"), {"on": today, "passed": True}, format="json"
    )
    assert same.status_code == 400
    assert "复查" in same.content.decode()
    no_photo = api_as(hazard_world["town_a"]).post(
        _url(hazard, "recheck"), {"on": today, "passed": True}, format="json"
    )
    assert no_photo.status_code == 400  # 复查通过 (closed, with photos)
    assert "照片" in no_photo.json()["errors"]["photos"][0]
    passed = api_as(hazard_world["town_a"]).post(
        _url(hazard, "recheck"), {"on": today, "passed": "true", "photo": [photo()]}, format="multipart"
    )
    assert passed.status_code == 200, passed.content
    assert passed.json()["status"] == "closed" and passed.json()["closed_on"] == today
    again = api_as(hazard_world["town_a"]).post(
        _url(hazard, "rectify"), {"on": today, "note": "再整改"}, format="json"
    )
    assert again.status_code == 409


@pytest.mark.django_db
def test_a_photo_attached_first_counts_for_the_request(hazard_world, api_as):
    hazard = hazard_world["hazard"]
    client = api_as(hazard_world["grid_a"])
    uploaded = client.post(f"/api/v1/cases/{hazard.ref}/attachments/", {"file": photo()}, format="multipart")
    assert uploaded.status_code in (200, 201), uploaded.content
    asked = client.post(
        _url(hazard, "request-recheck"), {"on": hazard_world["today"].isoformat()}, format="json"
    )
    assert asked.status_code == 200, asked.content


@pytest.mark.django_db
def test_a_request_without_a_photo_is_a_400(hazard_world, api_as):
    answer = api_as(hazard_world["grid_a"]).post(
        _url(hazard_world["hazard"], "request-recheck"),
        {"on": hazard_world["today"].isoformat()},
        format="json",
    )
    assert answer.status_code == 400


@pytest.mark.django_db
def test_a_stale_version_is_a_409(hazard_world, api_as):
    answer = api_as(hazard_world["grid_a"]).post(
        _url(hazard_world["hazard"], "rectify"),
        {"on": hazard_world["today"].isoformat(), "note": "清理", "version": 99},
        format="json",
    )
    assert answer.status_code == 409


@pytest.mark.django_db
def test_an_inspection_with_results(hazard_world, api_as):
    from sanling.hazards.models import ChecklistItem

    item = ChecklistItem.objects.filter(inspection_type="四查").order_by("order").first()
    answer = api_as(hazard_world["town_a"]).post(
        "/api/v1/inspections/",
        {
            "subject": "U1",
            "inspected_on": hazard_world["today"].isoformat(),
            "inspection_type": "四查",
            "by_kind": "town",
            "results": [{"item": item.pk, "passed": False, "note": "台账不全"}],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["results"][0]["text"] == "查风险隐患"
    listed = api_as(hazard_world["town_b"]).get("/api/v1/inspections/").json()
    assert listed["results"] == []


@pytest.mark.django_db
def test_the_timeline(hazard_world, api_as):
    answer = api_as(hazard_world["town_a"]).get(_url(hazard_world["hazard"], "timeline"))
    assert answer.status_code == 200
    assert answer.json()[0]["action"] == "register"
