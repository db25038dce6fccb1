"""Sessions (等保 身份鉴别 and 剩余信息保护): an idle timeout, an absolute lifetime, optionally one session
per account; HTTPS-only cookies, HSTS and the redirect to HTTPS in production; nothing personal cached."""

import base64
import json
import os
import secrets
import subprocess
import sys
import time

import pytest
from django.urls import reverse

from sanling.accounts.middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY

pytestmark = pytest.mark.django_db


def backdate(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_a_session_idle_longer_than_the_timeout_ends(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(personas["town_a"])
    backdate(client, SESSION_SEEN_KEY, 31 * 60)
    response = client.get(reverse("events:list"))
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_a_session_used_within_the_timeout_goes_on(client, personas, settings):
    settings.SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(personas["town_a"])
    backdate(client, SESSION_SEEN_KEY, 29 * 60)
    assert client.get(reverse("events:list")).status_code == 200


def test_a_busy_session_ends_at_its_absolute_lifetime(client, personas, settings):
    settings.SESSION_COOKIE_AGE = 12 * 3600
    client.force_login(personas["town_a"])
    backdate(client, SESSION_STARTED_KEY, 12 * 3600 + 1)
    assert client.get(reverse("events:list"))["Location"].startswith(reverse("accounts:login"))


def test_an_expired_session_gets_a_401_from_the_api(client, personas, settings):
    client.force_login(personas["town_a"])
    backdate(client, SESSION_SEEN_KEY, settings.SESSION_IDLE_SECONDS + 1)
    assert client.get("/api/v1/events/").status_code == 401


def test_with_single_sessions_a_new_login_ends_the_accounts_other_session(client, personas, settings):
    from django.test import Client

    settings.SINGLE_SESSION = True
    client.force_login(personas["town_a"])
    other = Client()
    other.force_login(personas["town_a"])
    assert client.get(reverse("events:list"))["Location"].startswith(reverse("accounts:login"))
    assert other.get(reverse("events:list")).status_code == 200


def test_by_default_an_account_may_hold_two_sessions(client, personas):
    from django.test import Client

    client.force_login(personas["town_a"])
    Client().force_login(personas["town_a"])
    assert client.get(reverse("events:list")).status_code == 200


def test_pages_for_a_signed_in_user_are_not_stored_in_any_cache(client, personas):
    client.force_login(personas["town_a"])
    assert "no-store" in client.get(reverse("events:list"))["Cache-Control"]


def test_api_answers_are_not_stored_in_any_cache(personas, api_as):
    assert "no-store" in api_as(personas["town_a"]).get("/api/v1/events/")["Cache-Control"]


def test_the_api_schema_and_docs_need_a_login(client, personas):
    assert client.get("/api/v1/schema/").status_code in {401, 403}
    assert client.get("/api/v1/docs/").status_code in {401, 403}
    client.force_login(personas["viewer"])
    assert client.get("/api/v1/schema/").status_code == 200


def test_the_api_schema_may_be_made_public(client, db, settings):
    settings.API_SCHEMA_PUBLIC = True
    assert client.get("/api/v1/schema/").status_code == 200


def production_environment(tmp_path) -> dict:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SANLING_", "DJANGO_", "DEBUG"))
    } | {
        "SANLING_ENV": "production",
        "SANLING_VAR_DIR": str(tmp_path),
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SANLING_AUDIT_KEY": secrets.token_urlsafe(32),  # production refuses to start without it
        "SANLING_DATA_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),  # …and without this one
        "ALLOWED_HOSTS": "sanling.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
    }


SETTINGS_PRINTED = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name) for name in [
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE", "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER", "SECURE_HSTS_SECONDS",
    "REQUIRE_SECOND_FACTOR", "PASSWORD_MAX_AGE_DAYS", "SESSION_IDLE_SECONDS"]}))
"""


def test_production_turns_on_secure_cookies_hsts_the_https_redirect_and_the_second_factor(tmp_path):
    printed = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + SETTINGS_PRINTED],
        env=production_environment(tmp_path) | {"DJANGO_SETTINGS_MODULE": "sanling.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(printed.stdout)
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "REQUIRE_SECOND_FACTOR": True,
        "PASSWORD_MAX_AGE_DAYS": 90,
        "SESSION_IDLE_SECONDS": 1800,
    }


def test_check_deploy_finds_nothing_in_production(tmp_path):
    checked = subprocess.run(
        [sys.executable, "-m", "sanling.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr + checked.stdout
    assert "no issues" in checked.stdout
