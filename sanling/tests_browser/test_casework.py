"""Casework in a real browser: two tabs editing one event, and the region-wide lists."""

import pytest

from sanling.events.models import Event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_tabs_edit_one_event_and_the_second_saves_over_it_deliberately(page_for, personas):
    event = personas["event_a"]
    first = page_for("town_a")
    second = first.context.new_page()
    edit_url = first.url.split("/dashboard")[0] + f"/events/{event.pk}/edit/"
    first.goto(edit_url)
    second.goto(edit_url)

    first.fill("#id_title", "第一个标签页的修改")
    first.click("#record-form button[type=submit]:not(#overwrite)")
    first.wait_for_url("**/subjects/**")

    second.fill("#id_title", "第二个标签页的修改")
    second.click("#record-form button[type=submit]:not(#overwrite)")
    changes = second.locator("#conflict-changes [data-conflict-field=title]").inner_text()
    assert "第一个标签页的修改" in changes and "第二个标签页的修改" in changes
    assert second.input_value("#id_title") == "第二个标签页的修改"  # the input is kept

    second.click("#record-form button[type=submit]:not(#overwrite)")  # a plain 保存 still does not overwrite
    assert second.locator("#conflict").is_visible()
    assert Event.objects.get(pk=event.pk).title == "第一个标签页的修改"

    second.click("#overwrite")  # 覆盖保存
    second.wait_for_url("**/subjects/**")
    assert Event.objects.get(pk=event.pk).title == "第二个标签页的修改"


def test_a_town_finds_its_unresolved_disputes_in_one_click_from_the_menu(page_for, personas):
    page = page_for("town_a")
    page.click("header nav >> text=矛盾纠纷")
    page.click("text=未化解纠纷")
    page.wait_for_url("**/disputes/?status=unresolved")
    rows = page.locator("#records tbody").inner_text()
    assert "金牛邻里纠纷" in rows and "东湾土地纠纷" not in rows
