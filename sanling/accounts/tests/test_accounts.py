import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_system_administrator_creates_an_account_the_security_administrator_makes_a_town_operator(
    client, duty_holders
):
    client.force_login(duty_holders["sysadmin"])
    created = client.post(
        reverse("accounts:user_create"), {"username": "new_op", "full_name": "新操作员", "is_active": "on"}
    )
    assert created.status_code == 200
    new = get_user_model().objects.get(username="new_op")
    client.force_login(duty_holders["secadmin"])
    granted = client.post(
        reverse("accounts:user_grant", args=[new.pk]),
        {"role": "town_operator", "region": duty_holders["shabei"].code},
    )
    assert granted.status_code == 302
    new.profile.refresh_from_db()
    assert new.profile.region == duty_holders["shabei"]


def test_a_role_without_its_scope_is_refused_in_chinese(client, duty_holders):
    client.force_login(duty_holders["secadmin"])
    response = client.post(
        reverse("accounts:user_grant", args=[duty_holders["town_a"].pk]), {"role": "department_user"}
    )
    assert "行业部门账号必须选择主管部门" in response.content.decode()


def test_a_town_operator_cannot_manage_accounts(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("accounts:users")).status_code == 403
