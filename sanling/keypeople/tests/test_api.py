"""/api/v1/key-people/: masked answers, scoped, versioned PATCH, and the visits of a person."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanling.keypeople.models import KeyPerson, KeyPersonVisit

from .conftest import NAME, PHONE, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def attachments_dir(settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path


def test_the_list_is_the_callers_area_masked(api_as, people):
    answer = api_as(people["town_a"]).get("/api/v1/key-people/").json()
    rows = answer["results"] if isinstance(answer, dict) else answer
    assert [row["ref"] for row in rows] == ["KP-A"]
    assert rows[0]["name"] == "欧阳**" and rows[0]["phone"] == "139****5678" and rows[0]["overdue"] is True


def test_the_list_filters_by_category(api_as, people):
    answer = (
        api_as(people["admin_user"]).get("/api/v1/key-people/", {"category": "community_correction"}).json()
    )
    rows = answer["results"] if isinstance(answer, dict) else answer
    assert [row["ref"] for row in rows] == ["KP-B"]


def test_create_through_the_api(api_as, people):
    answer = api_as(people["town_a"]).post(
        "/api/v1/key-people/",
        {
            "region": "411103001001",
            "category": "drug_user",
            "risk_level": "low",
            "name": "接口人员",
            "phone": "13800001111",
        },
        format="json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["name"] == "接***" and answer.json()["phone"] == "138****1111"
    assert KeyPerson.objects.get(ref=answer.json()["ref"]).phone == "13800001111"


def test_a_wrong_check_digit_is_a_400_in_chinese_without_the_number(api_as, people):
    answer = api_as(people["town_a"]).post(
        "/api/v1/key-people/",
        {"region": "411103001001", "category": "drug_user", "name": "某", "id_number": "110105198001011239"},
        format="json",
    )
    assert answer.status_code == 400 and "身份证" in answer.content.decode()
    assert "110105198001011239" not in answer.content.decode()


def test_patch_needs_the_version_and_a_stale_one_changes_nothing(api_as, people):
    api = api_as(people["town_a"])
    assert api.patch("/api/v1/key-people/KP-A/", {"risk_level": "high"}, format="json").status_code == 428
    assert (
        api.patch("/api/v1/key-people/KP-A/", {"risk_level": "high", "version": 9}, format="json").status_code
        == 409
    )
    answer = api.patch("/api/v1/key-people/KP-A/", {"risk_level": "high", "version": 1}, format="json")
    assert answer.status_code == 200 and answer.json()["next_visit_due"] == "2025-01-13"
    person = KeyPerson.objects.get(ref="KP-A")
    assert person.name == NAME and person.phone == PHONE  # untouched by a PATCH that did not name them


def test_a_masked_value_sent_back_keeps_the_stored_one(api_as, people):
    api = api_as(people["town_a"])
    body = api.get("/api/v1/key-people/KP-A/").json()
    answer = api.patch("/api/v1/key-people/KP-A/", {**body, "note": "复核"}, format="json")
    assert answer.status_code == 200, answer.content
    assert KeyPerson.objects.get(ref="KP-A").phone == PHONE


def test_visits_are_listed_and_recorded(api_as, people):
    api = api_as(people["grid_a"])
    today = timezone.localdate()
    answer = api.post(
        "/api/v1/key-people/KP-A/visits/",
        {
            "visited_on": today.isoformat(),
            "face_to_face": "true",
            "place": "家中",
            "photo": SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"),
        },
        format="multipart",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["visitor"] == "grid_a"
    listed = api.get("/api/v1/key-people/KP-A/visits/").json()
    assert [row["visited_on"] for row in listed] == [today.isoformat()]


def test_a_visit_in_the_future_is_a_400(api_as, people):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    answer = api_as(people["grid_a"]).post(
        "/api/v1/key-people/KP-A/visits/", {"visited_on": tomorrow.isoformat()}, format="json"
    )
    assert answer.status_code == 400 and "未来" in answer.content.decode()
    assert not KeyPersonVisit.objects.exists()


def test_a_person_of_another_town_is_not_found(api_as, people):
    api = api_as(people["town_a"])
    assert api.get("/api/v1/key-people/KP-B/").status_code == 404
    answer = api.post("/api/v1/key-people/KP-B/visits/", {"visited_on": "2025-02-01"}, format="json")
    assert answer.status_code == 404 and not KeyPersonVisit.objects.exists()


def test_unmask_without_a_reason_is_a_400(api_as, people):
    answer = api_as(people["town_a"]).post("/api/v1/key-people/KP-A/unmask/", {"reason": " "}, format="json")
    assert answer.status_code == 400 and NAME not in answer.content.decode()
