"""The dashboard's map and the subject page's month table, as people see them in a real browser."""

import pytest

from sanling.regions.models import Region

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YELLOW = "#e0b000"


def test_the_map_tooltip_names_the_group_and_shows_region_names_as_text(page_for, mapped):
    Region.objects.filter(pk=mapped["shabei"].pk).update(name='<img src=x onerror="window.pwned=1">沙北')
    page = page_for("admin_user")
    page.goto(page.url.split("?")[0] + "?period=2025")
    page.wait_for_selector("#map[data-ready=true] canvas")
    index = page.evaluate(
        "window.sanlingMap.getOption().series[0].data.findIndex((d) => d.code === arguments[0])"
        .replace("arguments[0]", f"'{mapped['shabei'].code}'")
    )  # fmt: skip
    page.evaluate(
        f"window.sanlingMap.dispatchAction({{type: 'showTip', seriesIndex: 0, dataIndex: {index}}})"
    )
    tip = page.locator("#map div", has_text="达标率").last
    tip.wait_for()
    assert "村社区达标率 0%" in tip.inner_text()
    assert "&lt;img" in tip.inner_html()
    assert page.evaluate("window.pwned") is None


def test_hovering_an_area_keeps_its_own_colour_and_the_key_explains_the_colours(page_for, mapped):
    page = page_for("admin_user")
    page.goto(page.url.split("?")[0] + "?period=2025")
    page.wait_for_selector("#map[data-ready=true] canvas")
    hover = page.evaluate(
        "window.sanlingMap.getOption().series[0].data.map((d) => [d.itemStyle.areaColor, d.emphasis.itemStyle.areaColor])"
    )
    assert all(own == hovered for own, hovered in hover)
    assert [own for own, _hovered in hover].count(YELLOW) == 0  # neither town is at the 黄 level
    assert page.evaluate("window.sanlingMap.getOption().series[0].labelLayout.hideOverlap") is True
    assert "≥95%" in page.locator("#legend").inner_text()


def test_a_broken_months_cross_is_coloured_on_a_phone(page_for, mapped):
    page = page_for("grid_a", width=375, height=740)
    page.goto(page.url.split("/dashboard")[0] + f"/subjects/{mapped['jinniu_village'].pk}/?period=2025")
    cell = page.locator("#status td.broke").first
    assert cell.inner_text() == "✗"
    assert cell.evaluate("(el) => getComputedStyle(el).backgroundColor") != "rgba(0, 0, 0, 0)"


def test_choosing_a_period_in_the_menu_opens_it(page_for, mapped):
    page = page_for("admin_user")
    assert "默认显示本年度" in page.locator("#landing-rule").inner_text()
    page.select_option("#period", "2025")
    page.wait_for_url("**period=2025")
    assert "2025" in page.locator("h1").inner_text()
