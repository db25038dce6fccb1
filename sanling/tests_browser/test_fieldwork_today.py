"""The grid worker's day on a 375 px phone: after logging in they land on "today", see the overdue visit in
red and the hazard to re-check, every button big enough for a thumb, nothing wider than the phone."""

import datetime
import os

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanling.dictionary.models import Entry
from sanling.hazards.services import hazard_register, hazard_request_recheck
from sanling.hazards.tests.helpers import as_user, photo
from sanling.keypeople.services import key_person_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def day(casework, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    # A transactional test before this one may have flushed the lists the data migrations seed.
    for kind, code in (("key_person_category", "mental_disorder"), ("hazard_category", "消防安全")):
        Entry.objects.get_or_create(type=kind, code=code, defaults={"label": code})
    today = timezone.localdate()
    person = key_person_create(
        actor=None,
        ref="KP-JN-001",
        region=casework["jinniu"],
        category="mental_disorder",
        risk_level="high",
        name="欧阳建华",
        handler=casework["grid_a"],
        registered_on=today - datetime.timedelta(days=9),
    )
    hazard = hazard_register(
        ref="YH-JN-001",
        subject=casework["school"],
        found_on=today - datetime.timedelta(days=20),
        category="消防安全",
        level="general",
        description="消防通道堵塞",
        owner=casework["org_jinniu"],
        due_on=today + datetime.timedelta(days=5),
    )
    with as_user(casework["town_a"]):
        hazard_request_recheck(hazard=hazard, on=today, photos=[photo()])
    return {"person": person, "hazard": hazard}


def test_the_grid_worker_lands_on_today_on_a_phone(page_for, day):
    page = page_for("grid_a", width=375, height=812, landing="home")
    assert page.url.endswith("/fieldwork/")
    visit = page.locator('#visits .work-card[data-ref="KP-JN-001"]')
    expect(visit).to_have_class("work-card is-overdue")
    expect(visit).to_contain_text("已超期 2 天")
    expect(page.locator('#rechecks .work-card[data-ref="YH-JN-001"]')).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    buttons = page.locator("#today-actions .button")
    expect(buttons).to_have_count(5)
    for index in range(5):
        box = buttons.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 150  # two to a row, thumb-sized
    if os.environ.get("SANLING_SCREENSHOTS"):
        page.screenshot(path=os.environ["SANLING_SCREENSHOTS"] + "/fieldwork-today.png", full_page=True)
    page.locator('#rechecks .work-card[data-ref="YH-JN-001"] .button').click()
    page.wait_for_url("**/hazards/YH-JN-001/")
