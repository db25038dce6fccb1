"""A dispute case worked from a phone (375 px), one hand: "小事不出村、大事不出乡"."""

import datetime

import pytest
from playwright.sync_api import expect

from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_town_operator_mediates_escalates_and_resolves_a_case_on_a_phone(page_for, casework):
    dispute = dispute_create(
        subject=casework["jinniu_village"], reported_on=datetime.date(2025, 3, 3), summary="宅基地边界纠纷"
    )
    page = page_for("town_a", width=375, height=740)
    page.goto(page.url.split("/dashboard")[0] + f"/disputes/{dispute.ref}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing overflows the phone

    page.click("details[data-move=mediate] > summary")
    page.fill("#id_mediate_on", "2025-03-04")
    page.select_option("#id_mediate_diagnosis", "clinic")
    page.click("#move-mediate button[type=submit]")
    expect(page.locator("#case-status")).to_contain_text("调解中")

    page.click("details[data-move=escalate] > summary")
    page.fill("#id_escalate_on", "2025-03-06")
    page.select_option("#id_escalate_to_level", "village")
    page.click("#move-escalate button[type=submit]")
    expect(page.locator("#case-level")).to_contain_text("村")
    expect(page.locator("#case-status")).to_contain_text("已上交")

    page.click("details[data-move=resolve] > summary")
    page.fill("#id_resolve_on", "2025-03-09")
    page.select_option("#id_resolve_method", "people")
    page.fill("#id_resolve_agreement", "双方各退一步")
    page.click("#move-resolve button[type=submit]")
    expect(page.locator("#case-status")).to_contain_text("已化解")
    expect(page.locator(".timeline-entry")).to_have_count(4)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Dispute.objects.get(pk=dispute.pk).resolved_level == "village"


def test_a_refused_date_keeps_the_form_open_with_the_message(page_for, casework):
    dispute = dispute_create(
        subject=casework["jinniu_village"], reported_on=datetime.date(2025, 3, 3), summary="排水纠纷"
    )
    page = page_for("town_a", width=375, height=740)
    page.goto(page.url.split("/dashboard")[0] + f"/disputes/{dispute.ref}/")
    page.click("details[data-move=fail] > summary")
    page.fill("#id_fail_on", "2025-03-01")
    page.fill("#id_fail_note", "双方分歧过大")
    page.click("#move-fail button[type=submit]")
    expect(page.locator("#move-fail")).to_contain_text("不能早于上一环节")
    expect(page.locator("#id_fail_note")).to_have_value("双方分歧过大")
