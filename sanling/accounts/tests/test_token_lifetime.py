"""Tokens die with their owner's password or account, never live forever, and revoking is never throttled."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanling.accounts.models import ApiToken
from sanling.accounts.scope import scope_for
from sanling.accounts.services import account_password_reset, account_update, api_token_create

pytestmark = pytest.mark.django_db


def opens_the_api(client, key: str) -> bool:
    return client.get("/api/v1/subjects/", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200


def test_a_token_dies_when_its_owners_password_changes(personas, client):
    _token, key = api_token_create(user=personas["town_a"], name="热线")
    user = personas["town_a"]
    user.set_password("a-new-password-2026")
    user.save()
    assert not opens_the_api(client, key)


def test_a_token_dies_when_an_administrator_resets_the_password(duty_holders, client):
    _token, key = api_token_create(user=duty_holders["town_a"], name="热线")
    account_password_reset(actor_scope=scope_for(duty_holders["sysadmin"]), user=duty_holders["town_a"])
    assert not opens_the_api(client, key)


def test_a_token_stays_dead_when_its_disabled_owner_is_enabled_again(duty_holders, client):
    _token, key = api_token_create(user=duty_holders["town_a"], name="热线")
    fields = {
        "actor_scope": scope_for(duty_holders["sysadmin"]),
        "user": duty_holders["town_a"],
        "username": "town_a",
        "full_name": "",
    }
    account_update(**fields, is_active=False)
    assert not opens_the_api(client, key)
    account_update(**fields, is_active=True)
    assert not opens_the_api(client, key)


def test_a_token_without_an_expiry_gets_the_maximum_lifetime(personas, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    token, _key = api_token_create(user=personas["town_a"], name="热线", expires_at=None)
    assert 89 <= (token.expires_at - timezone.now()).days <= 90


def test_a_token_cannot_outlive_the_maximum(personas, settings):
    settings.API_TOKEN_MAX_DAYS = 90
    with pytest.raises(ValidationError):
        api_token_create(
            user=personas["town_a"], name="热线", expires_at=timezone.now() + datetime.timedelta(days=91)
        )


def test_an_old_token_that_never_expired_is_refused_past_the_maximum(personas, client, settings):
    settings.API_TOKEN_MAX_DAYS = 180
    token, key = api_token_create(user=personas["town_a"], name="热线")
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=None, created_at=timezone.now() - datetime.timedelta(days=181)
    )
    assert not opens_the_api(client, key)


def test_a_lowered_maximum_applies_to_tokens_already_issued(personas, client, settings):
    token, key = api_token_create(user=personas["town_a"], name="热线")
    ApiToken.objects.filter(pk=token.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert opens_the_api(client, key)
    settings.API_TOKEN_MAX_DAYS = 30
    assert not opens_the_api(client, key)


def test_the_web_form_offers_no_never(personas, client):
    client.force_login(personas["town_a"])
    client.post("/accounts/tokens/", {"name": "旧系统", "expires_in": ""})
    assert not ApiToken.objects.exists() or ApiToken.objects.get().expires_at is not None


def test_revoking_works_beyond_the_token_rate(personas, api_as):
    api = api_as(personas["town_a"])
    created = [api.post("/api/v1/tokens/", {"name": f"t{n}"}, format="json") for n in range(20)]
    assert api.post("/api/v1/tokens/", {"name": "one more"}, format="json").status_code == 429
    for answer in created:
        assert api.delete(f"/api/v1/tokens/{answer.json()['id']}/").status_code == 204


def test_the_token_page_says_a_password_change_ended_a_token(personas, client):
    api_token_create(user=personas["town_a"], name="热线")
    user = personas["town_a"]
    user.set_password("a-new-password-2026")
    user.save()
    client.force_login(user)
    assert "因密码更改已失效" in client.get("/accounts/tokens/").content.decode()
