"""Authentication leaves a trace: logins, logouts, failures and tokens are audit entries naming the address."""

import logging

import pytest

from sanling.accounts.events import auth_event
from sanling.accounts.services import api_token_create, api_token_revoke
from sanling.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_login_is_audited_with_the_address(personas, client):
    client.post(
        "/accounts/login/", {"username": "town_a", "password": "pw-secret-123"}, REMOTE_ADDR="192.0.2.9"
    )
    entry = AuditEntry.objects.get(verb="login.succeeded")
    assert (entry.actor_name, entry.object_key, entry.ip) == ("town_a", "town_a", "192.0.2.9")


def test_a_logout_is_audited_with_the_address(personas, client):
    client.post("/accounts/login/", {"username": "town_a", "password": "pw-secret-123"})
    client.post("/accounts/logout/", REMOTE_ADDR="192.0.2.10")
    entry = AuditEntry.objects.get(verb="logout")
    assert (entry.object_key, entry.ip) == ("town_a", "192.0.2.10")


def test_a_failed_login_is_audited_and_logged_with_user_and_address(personas, client, caplog):
    with caplog.at_level(logging.WARNING, logger="sanling.security"):
        client.post("/accounts/login/", {"username": "town_a", "password": "nope"}, REMOTE_ADDR="192.0.2.11")
    entry = AuditEntry.objects.get(verb="login.failed")
    assert (entry.object_key, entry.ip) == ("town_a", "192.0.2.11")
    assert "nope" not in str(entry.changes) + entry.note
    assert any("town_a" in line and "192.0.2.11" in line for line in caplog.messages)


def test_a_failed_admin_login_is_audited(personas, client):
    client.post("/admin/login/", {"username": "nobody", "password": "x"}, REMOTE_ADDR="192.0.2.12")
    assert AuditEntry.objects.get(verb="login.failed").object_key == "nobody"


def test_creating_and_revoking_a_token_is_audited_with_the_address(personas, client):
    client.force_login(personas["town_a"])
    client.post("/accounts/tokens/", {"name": "热线", "expires_in": "30"}, REMOTE_ADDR="192.0.2.13")
    token = personas["town_a"].api_tokens.get()
    client.post(f"/accounts/tokens/{token.pk}/revoke/", REMOTE_ADDR="192.0.2.14")
    assert AuditEntry.objects.get(verb="token.created").ip == "192.0.2.13"
    assert AuditEntry.objects.get(verb="token.revoked").ip == "192.0.2.14"


def test_auth_event_records_the_verb_for_other_services(personas):
    auth_event("password.changed", user=personas["town_a"], note="自行修改")
    entry = AuditEntry.objects.get(verb="password.changed")
    assert (entry.object_type, entry.object_key, entry.note) == ("user", "town_a", "自行修改")
    # the account's county chain, so the county's auditors see it
    assert entry.region_path == personas["shabei"].path


def test_token_entries_keep_the_services_verbs(personas):
    token, _key = api_token_create(user=personas["town_a"], name="x")
    api_token_revoke(token=token)
    assert list(AuditEntry.objects.filter(object_type="apitoken").values_list("verb", flat=True)) == [
        "token.revoked",
        "token.created",
    ]


def test_the_countys_auditor_reads_login_failures_in_chinese(personas, client):
    client.post("/accounts/login/", {"username": "town_a", "password": "nope"}, REMOTE_ADDR="192.0.2.15")
    client.force_login(personas["auditor"])
    page = client.get("/audit/", {"verb": "login.failed"}).content.decode()
    assert "登录失败" in page
    assert "192.0.2.15" in page
