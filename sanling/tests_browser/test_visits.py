"""走访 on a 375 px phone: a grid worker records visits one after another, one-handed, and the list adds
them up."""

import os

import pytest

from sanling.visits.models import HouseholdVisit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_grid_worker_records_two_visits_on_a_phone(page_for, personas):
    page = page_for("grid_a", width=375, height=800)
    base = page.url.split("/dashboard")[0]
    page.goto(f"{base}/visits/new/")
    assert fits(page)
    button = page.locator("#save-visit").bounding_box()
    assert button["height"] >= 44 and button["width"] >= 300  # a thumb's target, across the screen
    page.fill("#id_household", "3组12号")
    page.select_option("#id_theme", "six_promotions")
    page.fill("#id_persons_met", "0")  # a slip of the thumb: refused, what was typed is kept
    page.click("#save-visit")
    assert page.input_value("#id_household") == "3组12号"
    assert page.locator("[data-field=persons_met] .errorlist").is_visible()
    page.fill("#id_persons_met", "2")
    page.click("#save-visit")
    page.wait_for_url("**/visits/new/?region=*")
    assert page.input_value("#id_theme") == "six_promotions"  # the next household: same place and theme
    page.fill("#id_household", "3组13号")
    page.fill("#id_persons_met", "3")
    page.click("#save-visit")
    page.wait_for_url("**/visits/new/?region=*")
    if folder := os.environ.get("SANLING_SCREENSHOTS"):
        page.screenshot(path=f"{folder}/visit-form-375.png", full_page=True)
    assert HouseholdVisit.objects.count() == 2
    page.goto(f"{base}/visits/")
    assert fits(page)
    totals = page.locator("#visit-totals").inner_text()
    assert "2" in totals and "5" in totals
    if folder:
        page.screenshot(path=f"{folder}/visit-list-375.png", full_page=True)
