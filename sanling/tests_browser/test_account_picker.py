"""A security administrator gives an account its region with the picker, in a real browser."""

import pytest
from django.contrib.auth import get_user_model

from sanling.accounts.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _grid_worker_grant_form(page, personas, username: str) -> None:
    """The grant page of a new account (made by the system administrator, waiting for a role)."""
    account = get_user_model().objects.create_user(username=username, first_name="网格员小李")
    Profile.objects.create(user=account, role="", region=personas["county"])
    page.goto(page.url.split("/dashboard")[0] + f"/accounts/users/{account.pk}/grant/")
    page.select_option("#id_role", "grid_worker")


def test_a_security_admin_finds_a_grid_by_name_and_gives_it_to_a_new_account(page_for, duty_holders):
    personas = duty_holders
    page = page_for("secadmin")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    _grid_worker_grant_form(page, personas, "wg_picker")
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


def test_a_security_admin_opens_the_tree_down_to_a_village(page_for, duty_holders):
    personas = duty_holders
    page = page_for("secadmin")
    _grid_worker_grant_form(page, personas, "wg_tree")
    page.wait_for_selector(f"#region-results [data-code='{personas['shabei'].code}']")
    page.locator("#region-results li", has_text="沙北街道").locator("button", has_text="展开").click()
    page.locator(f"[data-region-choice][data-code='{personas['jinniu'].code}']").click()
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/accounts/users/")
    assert get_user_model().objects.get(username="wg_tree").profile.region == personas["jinniu"]
