"""Keeping the register of subjects from a phone, in a real browser."""

import pytest

from sanling.subjects.models import Subject

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_town_operator_creates_edits_and_retires_a_subject_on_a_phone(page_for, personas):
    page = page_for("town_a", width=375, height=740)
    page.goto(page.url.split("/dashboard")[0] + "/subjects/")
    page.click("#add-subject")
    page.wait_for_selector("#record-form")
    assert fits_the_phone(page)
    page.fill("#id_code", "U9")
    page.fill("#id_name", "金牛幼儿园")
    page.select_option("#id_kind", "institution")
    page.select_option("#id_category", "kindergarten")
    # The region box suggests the operator's own regions as they type, by name.
    page.fill("#id_region", "第一网格")
    from playwright.sync_api import expect

    # expect() polls from Playwright's side: a wait_for_function string would be eval'd in the page, which
    # the Content-Security-Policy refuses.
    expect(page.locator("#region-options option")).to_have_count(1)
    expect(page.locator("#region-options option")).to_contain_text("金牛社区第一网格")
    page.fill("#id_region", page.get_attribute("#region-options option", "value"))
    page.select_option("#id_department", "JY")
    page.fill("#id_joined_on", "2025-04-01")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".messages li.success")
    assert "金牛幼儿园" in page.locator("h1").inner_text()

    page.click("#subject-actions >> text=编辑")
    page.wait_for_selector("#record-form")
    assert fits_the_phone(page)
    page.fill("#id_name", "金牛中心幼儿园")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".messages li.success")
    assert "金牛中心幼儿园" in page.locator("h1").inner_text()

    page.click("#subject-actions >> text=退出")
    page.wait_for_selector("#record-form")
    assert fits_the_phone(page)
    page.fill("#id_retired_on", "2025-03-01")  # before it joined: refused, in Chinese
    page.click("#record-form button[type=submit]")
    assert "退出日期不能早于纳入创建日期" in page.locator("[data-field=retired_on] .errorlist").inner_text()
    page.fill("#id_retired_on", "2025-09-30")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".messages li.success")
    assert (
        "2025-09-30" in page.locator(".cards").inner_text()
        or "2025年9月30日" in page.locator(".cards").inner_text()
    )
    subject = Subject.objects.get(code="U9")
    assert (subject.name, str(subject.retired_on), subject.version) == ("金牛中心幼儿园", "2025-09-30", 3)


def test_a_village_hides_category_and_department_on_the_phone(page_for, personas):
    page = page_for("town_a", width=375, height=740)
    page.goto(page.url.split("/dashboard")[0] + "/subjects/new/")
    page.select_option("#id_kind", "community")
    assert page.locator("[data-field=category]").is_hidden()
    assert page.locator("[data-field=department]").is_hidden()
    page.select_option("#id_kind", "enterprise")
    assert page.locator("[data-field=category]").is_visible()
