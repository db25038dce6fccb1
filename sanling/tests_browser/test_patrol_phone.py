"""A patrol recorded on a 375 px phone (issue 15, items 5 and 7): the grid worker fills in the log one-handed;
a refused form comes back with everything typed still there, and the corrected one is saved."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanling.patrols.models import PatrolLog

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def team(casework):
    from sanling.patrols.services import patrol_shift_create, patrol_team_create

    team = patrol_team_create(region=casework["jinniu"], name="金牛守护巡逻队", kind="guard", member_count=8)
    patrol_shift_create(team=team, name="白班", starts_at=datetime.time(8), ends_at=datetime.time(20))
    return team


def test_a_grid_worker_records_a_patrol_on_a_phone(page_for, team, casework):
    page = page_for("grid_a", width=375, height=800)
    page.goto(page.url.split("/dashboard")[0] + "/patrols/new/")
    started = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(hours=3)
    page.select_option("#id_team", str(team.pk))
    page.fill("#id_region", casework["grid"].code)
    page.fill("#id_started_at", started.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ended_at", (started - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_route", "金牛社区一网格沿街")
    page.select_option("#id_defence_type", "人防")
    page.fill("#id_residents_contacted", "23")
    page.click("#patrol-save")
    expect(page.locator('[data-field="ended_at"] .errorlist')).to_contain_text("结束时间必须晚于开始时间")
    expect(page.locator("#id_route")).to_have_value("金牛社区一网格沿街")
    expect(page.locator("#id_residents_contacted")).to_have_value("23")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    page.fill("#id_ended_at", (started + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.click("#patrol-save")
    expect(page.locator("#patrol-facts")).to_contain_text("金牛社区一网格沿街")
    assert PatrolLog.objects.get().residents_contacted == 23
