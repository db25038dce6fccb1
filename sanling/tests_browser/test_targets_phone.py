"""A county administrator sets a town's target on a 375 px phone (issue 16, item 1): a refused value comes back
with everything typed still there, and the corrected one is listed as set at the town."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanling.targets.models import Target

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_county_administrator_sets_a_towns_target_on_a_phone(page_for, casework):
    from sanling.targets.services import target_set

    year = timezone.localdate().year
    target_set(year=year, region=casework["county"], group="village", indicator="rate", value="80")
    page = page_for("admin_user", width=375, height=800)
    page.goto(page.url.split("/dashboard")[0] + "/targets/")
    expect(page.locator("#targets")).to_contain_text("80%")
    page.click("#target-form summary")
    page.fill("#id_region", casework["shabei"].code)
    page.select_option("#id_indicator", "rate")
    page.select_option("#id_group", "village")
    page.fill("#id_value", "120")
    page.fill("#id_note", "沙北自加压力")
    page.click("#target-form button[type=submit]")
    expect(page.locator('[data-field="value"] .errorlist')).to_be_visible()
    expect(page.locator("#id_value")).to_have_value("120")
    expect(page.locator("#id_note")).to_have_value("沙北自加压力")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    assert not Target.objects.filter(region=casework["shabei"]).exists()

    page.fill("#id_value", "85")
    page.click("#target-form button[type=submit]")
    expect(
        page.locator(f'#targets tr[data-region="{casework["shabei"].code}"][data-group="village"]')
    ).to_contain_text("85%")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert Target.objects.get(region=casework["shabei"]).note == "沙北自加压力"
