"""A 沙北 town operator works a petition on a 375 px phone: the page fits the screen, loads under the
Content-Security-Policy without a violation, and the 受理告知 form records the step."""

import datetime

import pytest
from playwright.sync_api import expect

from sanling.petitions.services import backlog_flag, petition_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_town_operator_accepts_a_petition_on_a_phone(page_for, live_server, casework):
    petition = petition_create(
        subject=casework["jinniu_village"],
        received_on=datetime.date(2025, 3, 3),
        level="town",
        channel="visit",
        summary="金牛小区物业纠纷",
        petitioner_name="欧阳明远",
        petitioner_phone="13812345678",
    )
    backlog_flag(
        item=petition.case,
        on=datetime.date(2025, 3, 4),
        responsible_organisation=casework["org_shabei"],
        responsible_person="王主任",
        leader="李书记",
        deadline=datetime.date(2025, 6, 30),
    )
    page = page_for("town_a", width=375, height=800)
    page.context.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{live_server.url}/petitions/{petition.ref}/", wait_until="networkidle")
    expect(page.locator("#petitioner")).to_contain_text("欧阳**")
    expect(page.locator("#overdue")).to_be_visible()
    assert fits(page)
    page.locator("#action-accept summary").click()
    page.fill("#id_accept-on", "2025-03-05")
    page.fill("#id_accept-note", "已当面告知")
    page.locator("#action-accept button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("受理告知")
    expect(page.locator(".timeline")).to_contain_text("已当面告知")
    for path in ("/petitions/", "/petitions/backlog/", "/petitions/agency/"):
        page.goto(f"{live_server.url}{path}", wait_until="networkidle")
        expect(page.locator("h1")).to_be_visible()
    page.goto(f"{live_server.url}/petitions/{petition.ref}/", wait_until="networkidle")
    page.screenshot(path="/tmp/web-petitions-petition.png", full_page=True)
    page.goto(f"{live_server.url}/petitions/backlog/", wait_until="networkidle")
    page.screenshot(path="/tmp/web-petitions-backlog.png", full_page=True)
    assert page.evaluate("window.__violations") == []
