"""Every login the demo prints signs in with the published password and opens a page of its duty."""

import pytest
from django.urls import reverse

from sanling.demo.services import DEMO_PASSWORD, DEMO_USERS, demo_users_create
from sanling.departments.models import Department

# A page each demo account's duty needs (and that another duty could not open).
DUTY_PAGES = {
    "admin": "/admin/",
    "sysadmin": reverse("accounts:user_create"),
    "security": reverse("accounts:lockouts"),
    "county": reverse("exchange:upload"),
    "shabei": reverse("subjects:list"),
    "grid": reverse("events:create"),
    "jiaoyu": reverse("subjects:list"),
    "leader": reverse("dashboard:region", args=["411103000000"]),
    "audit": reverse("audit:entries"),
}


@pytest.fixture
def demo_accounts(county):
    Department.objects.create(code="JYJ", name="区教育局")
    demo_users_create()


def test_every_printed_demo_login_has_a_page_of_its_duty():
    assert {user[0] for user in DEMO_USERS} == set(DUTY_PAGES)


@pytest.mark.parametrize("username", list(DUTY_PAGES))
def test_a_demo_login_opens_a_page_of_its_duty(username, demo_accounts, client):
    login = reverse("admin:login") if username == "admin" else reverse("accounts:login")
    signed_in = client.post(login, {"username": username, "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    assert client.get(DUTY_PAGES[username]).status_code == 200
