"""重点人群 on a 375 px phone: the grid worker opens a key person from 我的待办, records a face-to-face visit
with a photo from the camera, one-handed, and sees the next visit scheduled (浉河区: "逐人见面，回访排查")."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanling.keypeople.models import KeyPersonVisit
from sanling.keypeople.services import key_person_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"visit photo" * 20


@pytest.fixture
def key_person(personas, settings, tmp_path):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    return key_person_create(
        actor=None,
        ref="KP-JN-001",
        region=personas["jinniu"],
        category="mental_disorder",
        risk_level="high",
        name="欧阳建华",
        phone="13912345678",
        handler=personas["grid_a"],
        registered_on=timezone.localdate() - datetime.timedelta(days=20),
    )


def test_a_grid_worker_records_a_key_person_visit_with_a_photo_on_a_phone(page_for, key_person):
    page = page_for("grid_a", width=375, height=800)
    page.click("header nav .nav-work")
    card = page.locator(f'.work-card[data-ref="{key_person.ref}"]')
    expect(card).to_have_class("work-card is-overdue")  # high risk, weekly: due 13 days ago
    expect(card).to_contain_text("欧阳**")
    card.locator(f'a[href="/key-people/{key_person.ref}/"]').first.click()
    expect(page.locator("#next-due")).to_contain_text("已超期")
    assert "欧阳建华" not in page.content() and "13912345678" not in page.content()

    page.click("#record-visit")
    save = page.locator("#save-visit")
    expect(save).to_be_visible()  # the form has loaded before it is measured
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    assert save.bounding_box()["height"] >= 44 and save.bounding_box()["width"] >= 300  # a thumb's target
    camera = page.locator('input[type=file][name="photo"]')
    expect(camera).to_have_attribute("capture", "environment")
    # a date in the future is refused, and what was typed stays
    page.fill("#id_visited_on", (timezone.localdate() + datetime.timedelta(days=1)).isoformat())
    page.fill("#id_place", "家中")
    page.fill("#id_findings", "按时服药，情绪稳定")
    save.click()
    expect(page.locator('[data-field="visited_on"] .errorlist')).to_contain_text("未来")
    expect(page.locator("#id_findings")).to_have_value("按时服药，情绪稳定")
    expect(page.locator("#id_place")).to_have_value("家中")

    page.screenshot(path="/tmp/web-keypeople-visit.png", full_page=True)  # docs/img/keypeople-visit.png
    page.fill("#id_visited_on", timezone.localdate().isoformat())
    page.locator('label:has-text("当面见到本人")').click()
    page.locator('input[type=file][name="photo"]').set_input_files(
        {"name": "IMG_0413.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    page.click("#save-visit")
    expect(page.locator(".messages")).to_contain_text("回访已记录")
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    expect(page.locator("#next-due")).to_contain_text(due)
    expect(page.locator("#visits")).to_contain_text("按时服药")
    visit = KeyPersonVisit.objects.get()
    assert visit.face_to_face and visit.person.case.attachments.get().content_type == "image/jpeg"
