"""On a 375 px phone, the grid worker re-checks a hazard the 沙北 centre asked to have re-checked: a photo from
the camera, 复查通过, and the case closes (headless Chromium, as ``sanling/tests_browser``)."""

import datetime
import os
import re
import shutil

import pytest
from django.utils import timezone

from sanling.hazards.models import Hazard, HazardStatus
from sanling.work.models import Attachment

from .helpers import PNG, as_user, photo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
]


def _chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "/usr/bin/chromium"))), None)


@pytest.fixture
def phone(live_server):
    executable = _chromium()
    if executable is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGS)
        context = browser.new_context(viewport={"width": 375, "height": 800}, locale="zh-CN")
        page = context.new_page()

        def login(username: str):
            page.goto(f"{live_server.url}/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "pw-secret-123")
            page.click("#login-form button[type=submit]")
            # a grid worker starts the day on 今日工作 (/fieldwork/), the others on the dashboard
            page.wait_for_url(re.compile(r".*/(dashboard|fieldwork)/.*"))
            return page

        yield live_server.url, login
        context.close()
        browser.close()


def test_a_grid_worker_rechecks_a_hazard_with_a_photo_on_a_phone(phone, casework, settings, tmp_path):
    from playwright.sync_api import expect

    from sanling.hazards.services import hazard_report, hazard_request_recheck

    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    today = timezone.localdate()
    hazard = hazard_report(
        subject=casework["school"],
        found_on=today - datetime.timedelta(days=5),
        category="消防安全",
        level="general",
        description="楼道堆放杂物堵塞消防通道",
        grid=casework["grid"],
        owner=casework["org_shabei"],
    )
    with as_user(casework["town_a"]):
        hazard_request_recheck(hazard=hazard, on=today - datetime.timedelta(days=1), photos=[photo()])
    site, login = phone
    page = login("grid_a")
    page.goto(f"{site}/hazards/?status=recheck_requested")
    page.click(f"tr[data-ref='{hazard.ref}'] a")
    expect(page.locator("#case-status")).to_contain_text("申请复查")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    form = page.locator("#move-recheck")
    expect(form).to_be_visible()
    choice = form.locator("label:has(input[name=passed][value=yes])")
    box = choice.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 200  # a big option for the thumb, its words beside it
    radio = form.locator("input[name=passed][value=yes]").bounding_box()
    assert radio["width"] <= 32 and box["x"] <= radio["x"] <= box["x"] + box["width"]
    assert box["y"] <= radio["y"] <= box["y"] + box["height"]  # the dot sits inside its label
    choice.click()
    expect(form.locator("input[name=passed][value=yes]")).to_be_checked()
    form.locator("textarea[name=note]").fill("通道已清理，复查合格")
    camera = form.locator('input[type=file][capture="environment"]')
    camera.set_input_files(
        {"name": "IMG_2001.png", "mimeType": "image/png", "buffer": PNG + b"after the fix"}
    )
    box = page.locator("#submit-recheck").bounding_box()
    assert box["height"] >= 40  # a big button for one hand
    page.click("#submit-recheck")
    expect(page.locator("#case-status")).to_contain_text("复查通过")
    closed = Hazard.objects.get(pk=hazard.pk)
    assert closed.status == HazardStatus.CLOSED and closed.case.closed_on == today
    assert Attachment.objects.filter(item=closed.case).count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
