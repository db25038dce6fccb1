import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_administrator_creates_a_town_operator(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "new_op",
            "full_name": "新操作员",
            "role": "town_operator",
            "region": personas["shabei"].code,
            "password": "a-long-password-2025",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert get_user_model().objects.get(username="new_op").profile.region == personas["shabei"]


def test_a_role_without_its_scope_is_refused_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "x",
            "full_name": "x",
            "role": "department_user",
            "password": "a-long-password-2025",
        },
    )
    assert "行业部门账号必须选择主管部门" in response.content.decode()


def test_a_town_operator_cannot_manage_accounts(client, personas):
    client.force_login(personas["town_a"])
    assert client.get(reverse("accounts:users")).status_code == 403
