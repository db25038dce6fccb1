"""Passwords (等保 身份鉴别): Django's validators plus three kinds of character, none of the last five
again, a change forced after an administrator set the password or when it is too old."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sanling.accounts.models import ApiToken, SecurityState
from sanling.accounts.scope import scope_for
from sanling.accounts.services import (
    account_create,
    account_grant,
    account_password_reset,
    password_change_own,
)
from sanling.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = "Spring-Field-2026"


def create_as_administrators(holders, username: str) -> tuple:
    """An account as 三权分立 makes it: the system administrator creates it (a one-time password), the
    security administrator grants it a role; returns the user and the one-time password."""
    user, password = account_create(
        actor_scope=scope_for(holders["sysadmin"]), username=username, full_name="李四"
    )
    account_grant(
        actor_scope=scope_for(holders["secadmin"]),
        user=user,
        role="town_operator",
        region=holders["shabei"],
        department=None,
    )
    return user, password


def change_own_password(user, password: str) -> None:
    validate_password(password, user)
    password_change_own(user=user, password=password)


def refusal(username: str, password: str) -> str:
    user = get_user_model().objects.create_user(username=username)
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    return " ".join(refused.value.messages)


def test_the_password_1_is_refused(db):
    assert "8" in refusal("lisi", "1")


def test_a_password_like_the_username_is_refused(db):
    assert "相似" in refusal("lisi-2026", "Lisi-2026")


def test_a_long_password_of_two_kinds_of_character_is_refused(db):
    assert "至少" in refusal("lisi", "correct-horse-battery")


def test_a_password_of_three_kinds_is_accepted(db):
    validate_password(GOOD, get_user_model().objects.create_user(username="lisi"))


def test_the_one_time_passwords_administrators_issue_pass_the_rules(duty_holders):
    user, password = create_as_administrators(duty_holders, "lisi")
    validate_password(password, get_user_model()(username="someone-else"))
    assert user.check_password(password)


def test_the_previous_password_is_refused(personas):
    user = personas["town_a"]
    change_own_password(user, GOOD)
    with pytest.raises(ValidationError):
        validate_password("pw-secret-123", user)


def test_the_current_password_is_refused_as_the_new_one(client, personas):
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-secret-123", "new_password1": "pw-secret-123", "new_password2": "pw-secret-123"},
    )
    assert response.status_code == 200
    assert "不能与最近" in response.content.decode()


def test_the_fourth_previous_password_is_refused(personas):
    user = personas["town_a"]
    for number in range(1, 6):
        change_own_password(user, f"{GOOD}-{number}")
    with pytest.raises(ValidationError):
        validate_password(f"{GOOD}-1", user)  # the fourth before the current -5


def test_a_password_six_changes_back_may_be_used_again(personas):
    user = personas["town_a"]
    for number in range(1, 7):
        change_own_password(user, f"{GOOD}-{number}")
    validate_password(f"{GOOD}-1", user)


def test_an_account_created_by_an_administrator_changes_its_password_at_first_login(client, duty_holders):
    _user, password = create_as_administrators(duty_holders, "lisi")
    client.post(reverse("accounts:login"), {"username": "lisi", "password": password})
    response = client.get(reverse("events:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))


def test_an_administrator_reset_forces_a_change_and_the_users_own_change_ends_it(client, duty_holders):
    password = account_password_reset(
        actor_scope=scope_for(duty_holders["sysadmin"]), user=duty_holders["town_a"]
    )
    client.post(reverse("accounts:login"), {"username": "town_a", "password": password})
    assert client.get(reverse("events:list")).status_code == 302
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": password, "new_password1": "Autumn-Leaf-2026", "new_password2": "Autumn-Leaf-2026"},
    )
    assert changed.status_code == 302
    assert client.get(reverse("events:list")).status_code == 200


def test_the_users_own_password_change_is_audited(client, personas):
    client.force_login(personas["town_a"])
    client.post(
        reverse("accounts:password_change"),
        {"old_password": "pw-secret-123", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert AuditEntry.objects.filter(verb="password.changed", object_key="town_a").exists()


def test_a_password_older_than_the_maximum_age_must_be_changed(client, personas, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = personas["town_a"]
    SecurityState.objects.update_or_create(
        user=user, defaults={"password_changed_at": timezone.now() - datetime.timedelta(days=91)}
    )
    client.post(reverse("accounts:login"), {"username": "town_a", "password": "pw-secret-123"})
    response = client.get(reverse("events:list"))
    assert response["Location"].startswith(reverse("accounts:password_change"))
    assert "已过期" in client.get(response["Location"]).content.decode()


def test_passwords_do_not_expire_unless_configured(client, personas):
    SecurityState.objects.update_or_create(
        user=personas["town_a"],
        defaults={"password_changed_at": timezone.now() - datetime.timedelta(days=3650)},
    )
    client.post(reverse("accounts:login"), {"username": "town_a", "password": "pw-secret-123"})
    assert client.get(reverse("events:list")).status_code == 200


def test_demo_accounts_are_never_forced_to_change_their_password(client, db, settings):
    from sanling.demo.services import DEMO_PASSWORD, demo_users_create

    settings.PASSWORD_MAX_AGE_DAYS = 1
    demo_users_create()
    get_user_model().objects.update(date_joined=timezone.now() - datetime.timedelta(days=30))
    SecurityState.objects.update(password_changed_at=timezone.now() - datetime.timedelta(days=30))
    client.post(reverse("accounts:login"), {"username": "admin", "password": DEMO_PASSWORD})
    assert client.get(reverse("accounts:tokens")).status_code == 200


def test_an_account_that_must_change_its_password_gets_no_api_token_for_it(client, duty_holders):
    _user, password = create_as_administrators(duty_holders, "lisi")
    asked = {"username": "lisi", "password": password, "name": "hotline"}
    refused = client.post("/api/v1/auth/token/", asked, content_type="application/json")
    assert refused.status_code == 401
    assert not ApiToken.objects.exists()


def test_the_admin_login_also_sends_a_reset_account_to_change_its_password(client, db):
    root = get_user_model().objects.create_superuser("root", "", GOOD)
    SecurityState.objects.update_or_create(user=root, defaults={"must_change_password": True})
    client.post(reverse("admin:login"), {"username": "root", "password": GOOD, "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:password_change"))


def test_an_administrators_reset_ends_the_sessions_the_user_has_open(client, duty_holders):
    # Django keeps a digest of the password hash in each session: a new password ends the old sessions.
    client.force_login(duty_holders["town_a"])
    assert client.get(reverse("events:list")).status_code == 200
    account_password_reset(actor_scope=scope_for(duty_holders["sysadmin"]), user=duty_holders["town_a"])
    response = client.get(reverse("events:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
