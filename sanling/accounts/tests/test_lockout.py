"""Guessing passwords does not work: an account locks after 5 failures and an address after a configured
number, on every door a password goes through (web login, Django admin login, API token issue)."""

import datetime
import logging
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanling.accounts.models import Lockout, LoginFailure
from sanling.accounts.tests.test_sessions import production_environment
from sanling.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

RIGHT = "pw-secret-123"


def web_login(client, username, password, ip="192.0.2.1"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip)


def admin_login(client, username, password, ip="192.0.2.1"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def api_token(client, username, password, ip="192.0.2.1"):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password, "name": "hotline"},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def pass_time(minutes: int) -> None:
    """Move the clock: every stored failure and lockout happened ``minutes`` earlier."""
    shift = datetime.timedelta(minutes=minutes)
    for failure in LoginFailure.objects.all():
        LoginFailure.objects.filter(pk=failure.pk).update(at=failure.at - shift)
    for lockout in Lockout.objects.all():
        Lockout.objects.filter(pk=lockout.pk).update(
            started_at=lockout.started_at - shift, until=lockout.until - shift
        )


@pytest.fixture
def superuser(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", password=RIGHT)


def test_the_admin_login_locks_the_account_after_five_failures(superuser, client):
    for _attempt in range(5):
        admin_login(client, "root", "wrong")
    refused = admin_login(client, "root", RIGHT)
    assert refused.status_code == 429
    assert not logged_in(client)
    assert "锁定" in refused.content.decode()


def test_an_account_locks_whatever_address_the_guesses_come_from(personas, client):
    for number in range(6):
        web_login(client, "town_a", "wrong", ip=f"198.51.100.{number}")
    refused = web_login(client, "town_a", RIGHT, ip="203.0.113.50")
    assert refused.status_code == 429
    assert not logged_in(client)


def test_failures_on_the_web_and_the_api_count_against_the_same_account(personas, client):
    for _attempt in range(3):
        web_login(client, "town_a", "wrong")
    for _attempt in range(2):
        api_token(client, "town_a", "wrong")
    assert api_token(client, "town_a", RIGHT).status_code == 429


def test_successful_token_requests_do_not_count_against_an_address(personas, client):
    for _attempt in range(25):
        assert api_token(client, "town_a", RIGHT).status_code == 201
    assert web_login(client, "town_a", RIGHT).status_code == 302


def test_successful_web_logins_do_not_count_against_the_api(personas, client):
    for _attempt in range(12):
        assert web_login(client, "town_a", RIGHT).status_code == 302
        client.logout()
    assert api_token(client, "town_a", RIGHT).status_code == 201


def test_a_success_starts_the_accounts_count_again(personas, client):
    for _attempt in range(4):
        web_login(client, "town_a", "wrong")
    assert web_login(client, "town_a", RIGHT).status_code == 302
    client.logout()
    for _attempt in range(4):
        web_login(client, "town_a", "wrong")
    assert web_login(client, "town_a", RIGHT).status_code == 302


def test_the_right_password_is_refused_while_locked_and_the_answer_does_not_tell(personas, client):
    for _attempt in range(5):
        web_login(client, "town_a", "wrong")
    right = web_login(client, "town_a", RIGHT)
    wrong = web_login(client, "town_a", "wrong again")
    assert right.status_code == wrong.status_code == 429
    assert right.content.decode().count("锁定") == wrong.content.decode().count("锁定") >= 1
    assert not logged_in(client)


def test_the_lock_lifts_after_fifteen_minutes(personas, client):
    for _attempt in range(5):
        web_login(client, "town_a", "wrong")
    pass_time(14)
    assert web_login(client, "town_a", RIGHT).status_code == 429
    pass_time(1)
    assert web_login(client, "town_a", RIGHT).status_code == 302


def test_a_source_address_locks_after_the_configured_number_of_failures(personas, client, settings):
    settings.LOGIN_SOURCE_FAILURES = 8
    for number in range(8):  # never five against one account
        web_login(client, f"guess{number}", "wrong", ip="198.51.100.7")
    assert web_login(client, "town_a", RIGHT, ip="198.51.100.7").status_code == 429
    assert web_login(client, "town_a", RIGHT, ip="198.51.100.8").status_code == 302


def test_the_addresses_of_one_ipv6_network_count_as_one_source(personas, client, settings):
    settings.LOGIN_SOURCE_FAILURES = 4
    for number in range(4):
        web_login(client, f"guess{number}", "wrong", ip=f"2001:db8:1:2::{number + 1}")
    assert web_login(client, "town_a", RIGHT, ip="2001:db8:1:2::99").status_code == 429
    assert web_login(client, "town_a", RIGHT, ip="2001:db8:1:3::1").status_code == 302
    call_command("unlock", "2001:db8:1:2::/64")
    assert web_login(client, "town_a", RIGHT, ip="2001:db8:1:2::99").status_code == 302


def test_the_api_answers_a_locked_account_with_429_in_chinese(personas, client):
    for _attempt in range(5):
        api_token(client, "town_a", "wrong")
    refused = api_token(client, "town_a", RIGHT)
    assert refused.status_code == 429
    assert refused.json()["code"] == "login_locked"
    assert "锁定" in refused.json()["message"]
    assert int(refused["Retry-After"]) > 0


def test_an_address_behind_a_trusted_proxy_is_the_clients(personas, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    client.post(
        "/accounts/login/",
        {"username": "town_a", "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert LoginFailure.objects.get().ip == "203.0.113.7"
    assert AuditEntry.objects.get(verb="login.failed").ip == "203.0.113.7"


def test_a_forwarded_address_from_an_untrusted_peer_is_ignored(personas, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    client.post(
        "/accounts/login/",
        {"username": "town_a", "password": "wrong"},
        REMOTE_ADDR="198.51.100.9",
        HTTP_X_FORWARDED_FOR="203.0.113.7",
    )
    assert LoginFailure.objects.get().ip == "198.51.100.9"
    assert AuditEntry.objects.get(verb="login.failed").ip == "198.51.100.9"


def test_a_trusted_proxy_may_be_named_by_its_network(personas, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    client.post(
        "/accounts/login/",
        {"username": "town_a", "password": "wrong"},
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.7",
    )
    assert LoginFailure.objects.get().ip == "203.0.113.7"


def test_a_lockout_is_audited_and_logged(personas, client, caplog):
    with caplog.at_level(logging.WARNING, logger="sanling.security"):
        for _attempt in range(5):
            web_login(client, "town_a", "wrong", ip="198.51.100.4")
    entry = AuditEntry.objects.get(verb="lockout.account")
    assert entry.object_key == "town_a"
    assert entry.ip == "198.51.100.4"
    assert any("town_a" in line and "lockout" in line for line in caplog.messages)


def test_the_unlock_command_lifts_an_account_lock(personas, client):
    for _attempt in range(5):
        web_login(client, "town_a", "wrong")
    call_command("unlock", "town_a")
    assert web_login(client, "town_a", RIGHT).status_code == 302
    assert AuditEntry.objects.filter(verb="lockout.cleared", object_key="town_a").exists()


def test_the_unlock_command_lifts_a_source_lock(personas, client, settings):
    settings.LOGIN_SOURCE_FAILURES = 3
    for number in range(3):
        web_login(client, f"guess{number}", "wrong", ip="198.51.100.7")
    call_command("unlock", "198.51.100.7")
    assert web_login(client, "town_a", RIGHT, ip="198.51.100.7").status_code == 302


def test_a_security_administrator_sees_and_lifts_current_lockouts(duty_holders, client):
    for _attempt in range(5):
        web_login(client, "town_a", "wrong")
    client.force_login(duty_holders["secadmin"])
    page = client.get("/accounts/lockouts/").content.decode()
    assert "town_a" in page
    client.post("/accounts/lockouts/", {"target": "town_a"})
    assert not Lockout.objects.filter(cleared_at__isnull=True, until__gt=timezone.now()).exists()


def test_only_security_administrators_see_the_lockouts(personas, client):
    for username in ("town_a", "admin_user"):
        client.force_login(personas[username])
        assert client.get("/accounts/lockouts/").status_code == 403
    client.force_login(personas["town_a"])
    assert client.post("/accounts/lockouts/", {"target": "town_b"}).status_code == 403


def test_a_security_administrator_cannot_lift_the_lock_of_an_account_they_do_not_manage(
    duty_holders, superuser, client
):
    for _attempt in range(5):
        web_login(client, "root", "wrong")
    client.force_login(duty_holders["secadmin"])
    assert "root" not in client.get("/accounts/lockouts/").content.decode()
    client.post("/accounts/lockouts/", {"target": "root"})
    assert Lockout.objects.get(key="root").cleared_at is None


def test_in_production_nginx_on_the_same_machine_is_a_trusted_proxy_by_default(tmp_path):
    """deploy/ puts nginx in front on 127.0.0.1 (gunicorn already believes it for the scheme): without
    this every client would be 127.0.0.1 to the lockouts and the audit trail, and one guesser would lock
    out everyone."""
    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.TRUSTED_PROXIES)",
        ],
        env=production_environment(tmp_path) | {"DJANGO_SETTINGS_MODULE": "sanling.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert printed.stdout.strip() == "['127.0.0.1', '::1']"
