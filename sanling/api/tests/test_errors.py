"""Every failure of the API speaks one format: a code, a Chinese message and field errors."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def chinese(text: str) -> bool:
    return any("\u4e00" <= char <= "\u9fff" for char in text)


def test_no_token_answers_401_in_the_format(db):
    response = Client().get("/api/v1/events/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert chinese(response.json()["message"])
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_token_is_refused(personas):
    from sanling.accounts.services import api_token_create, api_token_revoke

    token, key = api_token_create(user=personas["town_a"], name="旧系统")
    api_token_revoke(token=token)
    response = Client().get("/api/v1/events/", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


def test_an_expired_token_is_refused(personas):
    import datetime

    from django.utils import timezone

    from sanling.accounts.models import ApiToken
    from sanling.accounts.services import api_token_create

    token, key = api_token_create(
        user=personas["town_a"], name="临时", expires_at=timezone.now() + datetime.timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert Client().get("/api/v1/events/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_an_unknown_address_answers_404_in_the_format(personas, api_as):
    response = api_as(personas["town_a"]).get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_method_a_route_lacks_answers_405_in_the_format(personas, api_as):
    response = api_as(personas["town_a"]).delete("/api/v1/regions/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_a_body_that_is_not_json_answers_400_in_the_format(personas, api_as):
    response = api_as(personas["town_a"]).post(
        "/api/v1/events/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "method, url, body",
    [
        ("get", "/api/v1/subjects/?q=a%00b", None),
        ("get", "/api/v1/events/E%00/", None),
        (
            "post",
            "/api/v1/subjects/",
            {
                "code": "X\u0000",
                "name": "n",
                "kind": "village",
                "region": "4\u0000",
                "joined_on": "2025-01-01",
            },
        ),
    ],
)
def test_a_nul_character_anywhere_answers_400_not_a_server_error(personas, api_as, method, url, body):
    api = api_as(personas["town_a"])
    response = getattr(api, method)(url, body, format="json") if body else getattr(api, method)(url)
    assert response.status_code == 400
    assert chinese(response.json()["message"])


def test_a_nul_character_in_a_web_form_answers_400(personas, client):
    client.force_login(personas["town_a"])
    assert client.get("/subjects/?department=J%00Y").status_code == 400


def test_nested_errors_are_plain_messages_keyed_by_path():
    """Review of issue 15: a list of results answered ``{0: {'item': [ErrorDetail(...)]}}``."""
    from rest_framework.exceptions import ErrorDetail

    from sanling.api.errors import _flatten

    flat = _flatten(
        {
            "results": {0: {"item": [ErrorDetail("无效主键", code="does_not_exist")]}},
            "attendance": [{}, {"name": [ErrorDetail("该字段是必填项。", code="required")]}],
            "note": [ErrorDetail("太长", code="max_length")],
        }
    )
    assert flat == {
        "results[0].item": ["无效主键"],
        "attendance[1].name": ["该字段是必填项。"],
        "note": ["太长"],
    }
