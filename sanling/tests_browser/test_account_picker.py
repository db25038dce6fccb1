"""A county administrator gives an account its region with the picker, in a real browser."""

import pytest
from django.contrib.auth import get_user_model

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _new_grid_worker_form(page, username: str) -> None:
    page.goto(page.url.split("/dashboard")[0] + "/accounts/users/new/")
    page.fill("#id_username", username)
    page.fill("#id_full_name", "网格员小李")
    page.select_option("#id_role", "grid_worker")
    page.fill("#id_password", "a-long-password-2025")


def test_an_admin_finds_a_grid_by_name_and_gives_it_to_a_new_account(page_for, personas):
    page = page_for("admin_user")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    _new_grid_worker_form(page, "wg_picker")
    page.fill("[data-region-search]", "第一网格")
    page.press("[data-region-search]", "Enter")  # searches; must not submit the form
    choice = page.locator(f"[data-region-choice][data-code='{personas['grid'].code}']")
    choice.click()
    assert page.input_value("#id_region") == personas["grid"].code
    assert "金牛社区第一网格" in page.locator("[data-region-chosen]").inner_text()
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/users/")
    assert get_user_model().objects.get(username="wg_picker").profile.region == personas["grid"]
    assert errors == []  # not even a missing favicon


def test_an_admin_opens_the_tree_down_to_a_village(page_for, personas):
    page = page_for("admin_user")
    _new_grid_worker_form(page, "wg_tree")
    page.wait_for_selector(f"#region-results [data-code='{personas['shabei'].code}']")
    page.locator("#region-results li", has_text="沙北街道").locator("button", has_text="展开").click()
    page.locator(f"[data-region-choice][data-code='{personas['jinniu'].code}']").click()
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/users/")
    assert get_user_model().objects.get(username="wg_tree").profile.region == personas["jinniu"]
