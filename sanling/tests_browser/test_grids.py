"""The grid roster and the post form on a 375 px phone: a town operator sees the empty post in red, records
its holder (a wrong phone keeps what was typed), and the roster shows them with the phone masked."""

import pytest
from playwright.sync_api import expect

from sanling.grids.models import Post

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= 375


def test_a_town_operator_fills_an_empty_post_from_the_phone(page_for, personas, tmp_path):
    town = page_for("town_a", width=375, height=800)
    site = town.url.split("/dashboard")[0]
    town.goto(f"{site}/grids/")
    grid_row = town.locator(f"tr[data-region='{personas['grid'].code}']")
    expect(grid_row.locator(".empty-post")).to_have_count(2)  # no 网格长, no 网格员
    assert fits_the_phone(town)
    grid_row.locator("a.add-post").click()
    town.select_option("#id_post_type", "grid_member")
    town.fill("#id_holder_name", "李网格")
    town.fill("#id_phone", "12345")
    town.click("#post-form button[type=submit]")
    expect(town.locator("[data-field=phone] .errorlist")).to_be_visible()
    expect(town.locator("#id_holder_name")).to_have_value("李网格")
    town.screenshot(path="/tmp/web-grids-post-form.png", full_page=True)
    assert fits_the_phone(town)
    town.fill("#id_phone", "13812345678")
    town.click("#post-form button[type=submit]")
    expect(grid_row.locator(".holder")).to_contain_text("李网格")
    expect(grid_row.locator(".holder")).to_contain_text("138****5678")
    expect(grid_row.locator(".empty-post")).to_have_count(1)
    town.screenshot(path="/tmp/web-grids-roster.png", full_page=True)
    assert Post.objects.get().phone == "13812345678"
