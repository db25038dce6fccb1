"""A user makes, names, expires and revokes their own API tokens on the web."""

import re

import pytest
from django.utils import timezone

from sanling.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_new_token_shows_its_key_once_and_opens_the_api(personas, client):
    client.force_login(personas["town_a"])
    created = client.post("/accounts/tokens/", {"name": "12345 热线", "expires_in": "90"})
    page = created.content.decode()
    key = re.search(r"sl_[0-9a-f]{8}_[A-Za-z0-9_-]+", page).group(0)
    token = ApiToken.objects.get(user=personas["town_a"])
    assert token.name == "12345 热线"
    assert 89 <= (token.expires_at - timezone.now()).days <= 90
    assert key not in client.get("/accounts/tokens/").content.decode()  # never shown again
    assert "no-store" in created["Cache-Control"]
    client.logout()
    assert client.get("/api/v1/subjects/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_token_needs_a_name(personas, client):
    client.force_login(personas["town_a"])
    page = client.post("/accounts/tokens/", {"name": " ", "expires_in": "30"}).content.decode()
    assert not ApiToken.objects.exists()
    assert "请" in page or "必填" in page


def test_a_revoked_token_stops_working_at_once(personas, client):
    client.force_login(personas["town_a"])
    page = client.post("/accounts/tokens/", {"name": "旧系统", "expires_in": "30"}).content.decode()
    key = re.search(r"sl_[0-9a-f]{8}_[A-Za-z0-9_-]+", page).group(0)
    token = ApiToken.objects.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/")
    client.logout()
    assert client.get("/api/v1/subjects/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_user_cannot_revoke_anothers_token(personas, client):
    from sanling.accounts.services import api_token_create

    token, _key = api_token_create(user=personas["town_b"], name="商桥")
    client.force_login(personas["town_a"])
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_only_a_hash_of_the_key_is_stored(personas):
    from sanling.accounts.services import api_token_create

    token, key = api_token_create(user=personas["town_a"], name="x")
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert key not in str(stored)


def test_the_token_name_field_is_labelled_as_a_name_of_a_thing(personas, client):
    client.force_login(personas["town_a"])
    page = client.get("/accounts/tokens/").content.decode()
    assert '<label for="id_name">名称</label>' in page
    assert "姓名" not in page


def test_the_token_list_does_not_revoke_in_one_click(personas, client):
    from sanling.accounts.services import api_token_create

    token, _key = api_token_create(user=personas["town_a"], name="热线")
    client.force_login(personas["town_a"])
    page = client.get("/accounts/tokens/").content.decode()
    assert f'action="/accounts/tokens/{token.pk}/revoke/"' not in page
    assert f'href="/accounts/tokens/{token.pk}/revoke/"' in page


def test_revoking_a_token_asks_for_confirmation_first(personas, client):
    from sanling.accounts.services import api_token_create

    token, _key = api_token_create(user=personas["town_a"], name="热线")
    client.force_login(personas["town_a"])
    response = client.get(f"/accounts/tokens/{token.pk}/revoke/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "热线" in page and "确认吊销" in page
    assert f'action="/accounts/tokens/{token.pk}/revoke/"' in page
    token.refresh_from_db()
    assert token.revoked_at is None
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_user_cannot_open_the_revocation_of_anothers_token(personas, client):
    from sanling.accounts.services import api_token_create

    token, _key = api_token_create(user=personas["town_b"], name="商桥")
    client.force_login(personas["town_a"])
    assert client.get(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
