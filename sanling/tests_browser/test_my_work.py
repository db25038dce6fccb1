"""我的待办 on a 375 px phone: the grid worker finds the overdue case in red from the navigation's badge and
attaches a photo taken with the phone's camera."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanling.work.models import Attachment
from sanling.work.services import work_item_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"boundary stone" * 20


@pytest.fixture
def overdue_case(casework, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    today = timezone.localdate()
    return work_item_open(
        ref="JN-TJ-2025-009",
        kind="dispute",
        subject=casework["jinniu_village"],
        title="金牛宅基地界桩纠纷",
        step="mediating",
        opened_on=today - datetime.timedelta(days=40),
        due_on=today - datetime.timedelta(days=2),
        organisation=casework["org_jinniu"],
    )


def test_the_grid_worker_sees_the_overdue_case_and_attaches_a_photo_on_a_phone(page_for, overdue_case):
    page = page_for("grid_a", width=375, height=800)
    badge = page.locator("header nav .nav-work .badge.overdue")
    expect(badge).to_be_visible()
    page.click("header nav .nav-work")
    card = page.locator(f'.work-card[data-ref="{overdue_case.ref}"]')
    expect(card).to_have_class("work-card is-overdue")
    expect(card).to_contain_text("已超期 2 天")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone

    card.locator("text=证据材料").click()
    camera = page.locator('input[type=file][capture="environment"]')
    expect(camera).to_have_attribute("accept", "image/*,application/pdf")
    camera.set_input_files({"name": "IMG_0412.jpg", "mimeType": "image/jpeg", "buffer": JPEG})
    page.click(".attachment-form button")
    expect(page.locator(".attachment-list")).to_contain_text("IMG_0412.jpg")
    assert Attachment.objects.get(item=overdue_case).content_type == "image/jpeg"
