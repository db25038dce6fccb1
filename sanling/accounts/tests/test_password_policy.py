"""Passwords (等保 身份鉴别): Django's validators plus three kinds of character, none of the last five
again, a change forced after an administrator set the password or when it is too old."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sanling.accounts.models import SecurityState
from sanling.accounts.scope import scope_for
from sanling.accounts.services import account_save, password_change_own
from sanling.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

GOOD = "Spring-Field-2026"


def create_as_admin(personas, username: str, password: str):
    return account_save(
        actor_scope=scope_for(personas["admin_user"]),
        username=username,
        full_name="李四",
        role="town_operator",
        region=personas["shabei"],
        department=None,
        password=password,
    )


def change_own_password(user, password: str) -> None:
    validate_password(password, user)
    password_change_own(user=user, password=password)


def refusal(personas, username: str, password: str) -> str:
    with pytest.raises(ValidationError) as refused:
        create_as_admin(personas, username, password)
    return " ".join(refused.value.message_dict["password"])


def test_the_password_1_is_refused(personas):
    assert "8" in refusal(personas, "lisi", "1")


def test_a_password_like_the_username_is_refused(personas):
    assert "相似" in refusal(personas, "lisi-2026", "Lisi-2026")


def test_a_long_password_of_two_kinds_of_character_is_refused(personas):
    assert "至少" in refusal(personas, "lisi", "correct-horse-battery")


def test_a_password_of_three_kinds_is_accepted(personas):
    user = create_as_admin(personas, "lisi", GOOD)
    assert user.check_password(GOOD)


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


def test_an_account_created_by_an_administrator_changes_its_password_at_first_login(client, personas):
    create_as_admin(personas, "lisi", GOOD)
    client.post(reverse("accounts:login"), {"username": "lisi", "password": GOOD})
    response = client.get(reverse("events:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))


def test_an_administrator_reset_forces_a_change_and_the_users_own_change_ends_it(client, personas):
    admin = personas["admin_user"]
    client.force_login(admin)
    client.post(
        reverse("accounts:user_edit", args=[personas["town_a"].pk]),
        {
            "username": "town_a",
            "full_name": "甲",
            "role": "town_operator",
            "region": personas["shabei"].code,
            "password": GOOD,
            "is_active": "on",
        },
    )
    client.logout()
    client.post(reverse("accounts:login"), {"username": "town_a", "password": GOOD})
    assert client.get(reverse("events:list")).status_code == 302
    changed = client.post(
        reverse("accounts:password_change"),
        {"old_password": GOOD, "new_password1": "Autumn-Leaf-2026", "new_password2": "Autumn-Leaf-2026"},
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
