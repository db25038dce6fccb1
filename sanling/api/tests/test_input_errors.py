"""No input reaches a server error: dates before 1900, periods no calendar holds, bodies nested or sized to
exhaust the server — each is a Chinese 4xx answer (issue 14, item 11)."""

import pytest

pytestmark = pytest.mark.django_db


def chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def accident(**changes) -> dict:
    body = {"subject": "U1", "type": "accident", "occurred_on": "2025-04-01", "title": "校车刮擦"}
    return body | {"accident_grade": "general"} | changes


@pytest.mark.parametrize("day", ["1899-12-31", "0001-01-01"])
def test_an_event_dated_before_1900_is_refused_with_400(personas, api_as, day):
    response = api_as(personas["town_a"]).post("/api/v1/events/", accident(occurred_on=day), format="json")
    assert response.status_code == 400
    assert chinese(response.json()["errors"]["occurred_on"][0])


def test_a_dispute_dated_before_1900_is_refused_with_400(personas, api_as):
    body = {"subject": "U1", "reported_on": "1899-01-01", "category": "邻里纠纷", "summary": "争地"}
    response = api_as(personas["town_a"]).post("/api/v1/disputes/", body, format="json")
    assert response.status_code == 400
    assert chinese(response.json()["errors"]["reported_on"][0])


def test_an_event_dated_before_1900_on_the_web_form_is_a_form_error(personas, client):
    client.force_login(personas["town_a"])
    form = {"subject_code": "U1", "type": "security_case", "occurred_on": "1899-12-31", "title": "打架"}
    response = client.post("/events/new/", form | {"status": "reported", "deaths": 0, "injuries": 0})
    assert response.status_code == 200
    assert "早于 2015 年" in response.content.decode()


def test_a_dispute_dated_before_1900_on_the_web_form_is_a_form_error(personas, client):
    client.force_login(personas["town_a"])
    form = {"subject_code": "U1", "reported_on": "1899-12-31", "category": "邻里纠纷", "summary": "争地"}
    response = client.post("/disputes/new/", form | {"status": "open"})
    assert response.status_code == 200
    assert "早于 2015 年" in response.content.decode()


PERIODS_NO_CALENDAR_HOLDS = ["1899", "0001Q1", "0000", "9999Q4", "9999-12"]


@pytest.mark.parametrize("period", PERIODS_NO_CALENDAR_HOLDS)
def test_rates_for_an_impossible_period_answer_400(personas, api_as, period):
    response = api_as(personas["admin_user"]).get(f"/api/v1/rates/?region=411103000000&period={period}")
    assert response.status_code == 400
    assert chinese(response.json()["errors"]["period"][0])


@pytest.mark.parametrize("period", PERIODS_NO_CALENDAR_HOLDS)
def test_a_subject_status_for_an_impossible_period_answers_400(personas, api_as, period):
    response = api_as(personas["town_a"]).get(f"/api/v1/subjects/U1/status/?period={period}")
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/subjects/", "/api/v1/events/", "/api/v1/disputes/"])
@pytest.mark.parametrize("period", PERIODS_NO_CALENDAR_HOLDS)
def test_a_list_filtered_by_an_impossible_period_answers_400(personas, api_as, url, period):
    response = api_as(personas["town_a"]).get(f"{url}?period={period}")
    assert response.status_code == 400
    assert chinese(response.json()["message"])


@pytest.mark.parametrize("url", ["/dashboard/411103001000/", "/subjects/", "/events/", "/disputes/"])
@pytest.mark.parametrize("period", PERIODS_NO_CALENDAR_HOLDS)
def test_a_page_asked_for_an_impossible_period_says_so(personas, client, url, period):
    client.force_login(personas["town_a"])
    response = client.get(f"{url}?period={period}")
    assert response.status_code in (200, 400)
    assert "不是有效期间" in response.content.decode() or "早于" in response.content.decode()


def test_a_json_body_nested_100000_levels_answers_400(personas, api_as):
    body = "[" * 100_000 + "]" * 100_000
    response = api_as(personas["town_a"]).post("/api/v1/events/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"
    assert chinese(response.json()["message"])


def test_a_json_body_nested_900_levels_answers_400(personas, api_as):
    body = '{"title": ' + "[" * 900 + "]" * 900 + "}"
    response = api_as(personas["town_a"]).post("/api/v1/events/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_a_50_mb_json_body_answers_413_in_the_format(personas, api_as):
    body = '{"title": "' + "x" * (50 * 1024 * 1024) + '"}'
    response = api_as(personas["town_a"]).post("/api/v1/events/", body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert chinese(response.json()["message"])


def test_a_50_mb_form_body_to_the_api_answers_413_in_the_format(personas, api_as):
    body = "title=" + "x" * (50 * 1024 * 1024)
    response = api_as(personas["town_a"]).post(
        "/api/v1/events/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
