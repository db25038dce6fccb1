"""Retries, concurrent editors and guessers meet a safe API: idempotent POSTs, versions, rate limits."""

import pytest

from sanling.events.models import Event

pytestmark = pytest.mark.django_db

BODY = {"subject": "V1", "type": "criminal_case", "occurred_on": "2025-03-10", "title": "重试的盗窃案"}


def test_a_retry_with_the_same_key_and_body_returns_the_first_response_and_creates_one_row(personas, api_as):
    api = api_as(personas["town_a"])
    first = api.post("/api/v1/events/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = api.post("/api/v1/events/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert Event.objects.filter(title="重试的盗窃案").count() == 1


def test_the_same_key_with_a_different_body_answers_422_and_creates_nothing(personas, api_as):
    api = api_as(personas["town_a"])
    api.post("/api/v1/events/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    other = api.post("/api/v1/events/", BODY | {"title": "另一起"}, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert not Event.objects.filter(title="另一起").exists()


def test_keys_belong_to_their_user(personas, api_as):
    api_as(personas["town_a"]).post("/api/v1/events/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    second = api_as(personas["admin_user"]).post(
        "/api/v1/events/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )
    assert second.status_code == 201
    assert Event.objects.filter(title="重试的盗窃案").count() == 2


def test_a_failed_request_stores_nothing_so_its_key_can_be_used_again(personas, api_as):
    api = api_as(personas["town_a"])
    bad = api.post("/api/v1/events/", BODY | {"type": "meteor"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert bad.status_code == 400
    good = api.post("/api/v1/events/", BODY, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert good.status_code == 201


def _edit(api, ref: str, title: str, **headers):
    return api.patch(f"/api/v1/events/{ref}/", {"title": title}, format="json", **headers)


def test_an_update_with_the_current_version_in_if_match_succeeds_and_bumps_the_etag(personas, api_as):
    api = api_as(personas["town_a"])
    ref = personas["event_a"].ref
    response = _edit(api, ref, "金牛入室盗窃案", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200
    assert response["ETag"] == '"2"'
    assert Event.objects.get(ref=ref).title == "金牛入室盗窃案"


def test_a_stale_if_match_answers_412_and_changes_nothing(personas, api_as):
    api = api_as(personas["town_a"])
    ref = personas["event_a"].ref
    _edit(api, ref, "第一位编辑", HTTP_IF_MATCH='"1"')
    stale = _edit(api, ref, "第二位编辑", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert stale.json()["current_version"] == 2
    assert Event.objects.get(ref=ref).title == "第一位编辑"


def test_a_stale_version_field_answers_409_and_changes_nothing(personas, api_as):
    api = api_as(personas["town_a"])
    ref = personas["event_a"].ref
    api.patch(f"/api/v1/events/{ref}/", {"title": "第一位编辑", "version": 1}, format="json")
    stale = api.patch(f"/api/v1/events/{ref}/", {"title": "第二位编辑", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"
    assert Event.objects.get(ref=ref).title == "第一位编辑"


def test_an_update_without_a_version_answers_428(personas, api_as):
    response = _edit(api_as(personas["town_a"]), personas["event_a"].ref, "无版本")
    assert response.status_code == 428
    assert response.json()["code"] == "precondition_required"


def test_a_delete_needs_the_current_version_too(personas, api_as):
    api = api_as(personas["town_a"])
    ref = personas["event_a"].ref
    assert api.delete(f"/api/v1/events/{ref}/").status_code == 428
    assert api.delete(f"/api/v1/events/{ref}/", HTTP_IF_MATCH='"7"').status_code == 412
    assert api.delete(f"/api/v1/events/{ref}/", HTTP_IF_MATCH='W/"1"').status_code == 204
    assert not Event.objects.filter(ref=ref).exists()


def test_password_logins_for_tokens_lock_the_account_after_five_failures(personas, client, settings):
    answers = [
        client.post(
            "/api/v1/auth/token/",
            {"username": "town_a", "password": "wrong", "name": "guess"},
            content_type="application/json",
        ).status_code
        for _attempt in range(6)
    ]
    assert answers[:5] == [401] * 5
    assert answers[-1] == 429
    assert (
        client.post(
            "/api/v1/auth/token/",
            {"username": "town_a", "password": "pw-secret-123", "name": "hotline"},
            content_type="application/json",
        ).status_code
        == 429
    )


def test_a_password_gives_a_token_that_opens_the_api(personas, client):
    issued = client.post(
        "/api/v1/auth/token/",
        {"username": "town_a", "password": "pw-secret-123", "name": "12345 热线"},
        content_type="application/json",
    )
    assert issued.status_code == 201
    key = issued.json()["key"]
    listed = client.get("/api/v1/events/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert listed.status_code == 200


def test_creating_tokens_is_rate_limited(personas, api_as):
    api = api_as(personas["town_a"])
    answers = [api.post("/api/v1/tokens/", {"name": f"t{n}"}, format="json").status_code for n in range(21)]
    assert answers[:20] == [201] * 20
    assert answers[20] == 429


def test_the_web_login_refuses_an_account_after_five_failed_attempts(personas, client):
    for _attempt in range(5):
        assert client.post("/accounts/login/", {"username": "town_a", "password": "wrong"}).status_code == 200
    refused = client.post("/accounts/login/", {"username": "town_a", "password": "pw-secret-123"})
    assert refused.status_code == 429
    assert "稍后" in refused.content.decode() or "分钟" in refused.content.decode()
