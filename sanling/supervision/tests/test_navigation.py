"""Who finds 督查, 讲评, 播报 and 考核 in the menu: those who drive the campaign from above and the leaders who
read it — not the grid worker, whose phone keeps its short menu (the pages stay scope-checked either way)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

SUPERVISION_LINKS = ("nav-supervision", "nav-reviews", "nav-reports", "nav-scoring")


def menu(client, user) -> str:
    client.force_login(user)
    page = client.get(reverse("dashboard:home"), follow=True).content.decode()
    return page[page.index("<nav") : page.index("</nav>")]


def test_the_county_towns_departments_and_leaders_find_the_supervision_pages(client, personas):
    for user in (personas["town_a"], personas["admin_user"], personas["dept"], personas["viewer"]):
        nav = menu(client, user)
        assert all(link in nav for link in SUPERVISION_LINKS)


def test_the_grid_worker_keeps_a_short_menu_with_warnings_and_assignments(client, personas):
    nav = menu(client, personas["grid_a"])
    assert not any(link in nav for link in SUPERVISION_LINKS)
    assert "nav-alerts" in nav and "nav-assignments" in nav
