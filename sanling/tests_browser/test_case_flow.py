"""One case from first report to close on a 375 px phone, the way the seeds' 三级过滤网 runs it ("小事不出村、
大事不出乡"): the grid worker registers a dispute with a photo, the village mediates and escalates it, the
town's 矛调中心 resolves it, and the grid worker sees it closed in 我的待办."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sanling.disputes.models import Dispute
from sanling.work.models import Attachment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"field boundary" * 20


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_dispute_goes_from_the_grid_worker_up_to_the_town_and_back_to_my_work_closed(
    page_for, casework, settings, tmp_path
):
    settings.ATTACHMENT_DIR = tmp_path / "attachments"
    today = timezone.localdate()
    day = [(today - datetime.timedelta(days=back)).isoformat() for back in (3, 2, 1, 0)]

    # The grid worker (金牛社区 调委会) registers it at the village level, with a photo from the phone.
    grid = page_for("grid_a", width=375, height=800)
    site = grid.url.split("/dashboard")[0]
    grid.goto(f"{site}/disputes/new/")
    grid.fill("#id_subject_code", "V1")
    grid.fill("#id_reported_on", day[0])
    grid.fill("#id_summary", "两户宅基地界桩纠纷")
    grid.select_option("#id_level", "village")
    grid.click("#record-form button[type=submit]")
    expect(grid.locator("#case-status")).to_contain_text("待调解")
    ref = Dispute.objects.get(summary="两户宅基地界桩纠纷").ref
    grid.locator('.attachment-form input[type=file][capture="environment"]').set_input_files(
        {"name": "IMG_0815.jpg", "mimeType": "image/jpeg", "buffer": JPEG}
    )
    grid.click(".attachment-form button")
    expect(grid.locator(".attachment-list")).to_contain_text("IMG_0815.jpg")
    assert fits_the_phone(grid)

    # The village mediates, and cannot settle it: up to the town.
    grid.goto(f"{site}/disputes/{ref}/")
    grid.click("details[data-move=mediate] > summary")
    grid.fill("#id_mediate_on", day[1])
    grid.click("#move-mediate button[type=submit]")
    expect(grid.locator("#case-status")).to_contain_text("调解中")
    grid.click("details[data-move=escalate] > summary")
    grid.fill("#id_escalate_on", day[2])
    grid.select_option("#id_escalate_to_level", "town")
    grid.click("#move-escalate button[type=submit]")
    expect(grid.locator("#case-status")).to_contain_text("已上交")

    # The town's 矛调中心 finds it in its own 我的待办 and resolves it.
    town = page_for("town_a", width=375, height=800)
    town.goto(f"{site}/work/")
    town.locator(f'.work-card[data-ref="{ref}"] >> text=打开案件').click()
    town.click("details[data-move=resolve] > summary")
    town.fill("#id_resolve_on", day[3])
    town.select_option("#id_resolve_method", "people")
    town.click("#move-resolve button[type=submit]")
    expect(town.locator("#case-status")).to_contain_text("已化解")
    assert fits_the_phone(town)

    # Back on the grid worker's phone: closed, in 我的待办.
    grid.goto(f"{site}/work/")
    closed = grid.locator(f'.work-closed .work-card[data-ref="{ref}"]')
    expect(closed).to_contain_text("已化解")
    expect(grid.locator(f'.work-list:not(.work-closed) .work-card[data-ref="{ref}"]')).to_have_count(0)
    assert fits_the_phone(grid)
    dispute = Dispute.objects.get(ref=ref)
    assert (dispute.status, dispute.resolved_level) == ("resolved", "town")
    assert Attachment.objects.filter(item=dispute.case).count() == 1
