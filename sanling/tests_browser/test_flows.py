"""What people do on the site, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def map_click(page, code: str) -> None:
    """Click the middle of a region's area on the ECharts map."""
    page.wait_for_selector("#map[data-ready=true]")
    point = page.evaluate(
        """(code) => {
            const data = JSON.parse(document.getElementById('map-data').textContent);
            const ring = data.features.find((f) => f.properties.code === code).geometry.coordinates[0];
            const lon = ring.slice(0, -1).reduce((s, p) => s + p[0], 0) / (ring.length - 1);
            const lat = ring.slice(0, -1).reduce((s, p) => s + p[1], 0) / (ring.length - 1);
            return window.sanlingMap.convertToPixel({seriesIndex: 0}, [lon, lat]);
        }""",
        code,
    )
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_logging_in_opens_the_users_dashboard(page_for, mapped):
    page = page_for("town_a")
    assert "/dashboard/411103001000/" in page.url
    assert "沙北街道" in page.locator("h1").inner_text()


def test_the_map_renders_every_child_region_with_its_rate(page_for, mapped):
    page = page_for("admin_user")
    page.goto(page.url.split("?")[0] + "?period=2025")
    page.wait_for_selector("#map[data-ready=true] canvas")
    areas = page.evaluate("window.sanlingMap.getOption().series[0].data.map((d) => [d.name, d.rate])")
    # Towns are coloured by their villages: 金牛社区 has a case, 东湾村 none.
    assert sorted(areas) == [["商桥镇", 100], ["沙北街道", 0]]
    assert page.locator("#ranking tbody tr").count() == 2


def test_drilling_down_from_the_county_to_a_village(page_for, mapped):
    page = page_for("admin_user")
    map_click(page, mapped["shabei"].code)
    page.wait_for_url(f"**/dashboard/{mapped['shabei'].code}/**")
    map_click(page, mapped["jinniu"].code)
    page.wait_for_url(f"**/dashboard/{mapped['jinniu'].code}/**")
    assert "金牛社区" in page.locator("h1").inner_text()
    page.click(".breadcrumbs a >> text=郾城区")
    page.wait_for_url(f"**/dashboard/{mapped['county'].code}/**")


def test_a_grid_worker_reports_from_a_phone_and_sees_the_rate_change(page_for, mapped):
    page = page_for("grid_a", width=375, height=740)
    page.goto(page.url.split("?")[0] + "?period=2025Q2")
    assert "100.00%" in page.locator("[data-card=village]").inner_text()
    page.goto(page.url.split("/dashboard")[0] + "/events/new/?subject=V1")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing overflows the phone
    page.select_option("#id_type", "criminal_case")
    assert page.locator("[data-field=petition_level]").is_hidden()
    page.fill("#id_occurred_on", "2025-05-06")
    page.fill("#id_title", "电动车被盗")
    page.click("#record-form button[type=submit]")
    page.wait_for_selector(".messages li.success")
    page.goto(page.url.split("/subjects")[0] + f"/dashboard/{mapped['jinniu'].code}/?period=2025Q2")
    assert "0.00%" in page.locator("[data-card=village]").inner_text()


def test_a_bad_form_shows_the_reason_in_chinese_on_the_phone(page_for, mapped):
    page = page_for("grid_a", width=375, height=740)
    page.goto(page.url.split("/dashboard")[0] + "/events/new/")
    page.fill("#id_subject_code", "V2")
    page.select_option("#id_type", "criminal_case")
    page.fill("#id_title", "x")
    page.click("#record-form button[type=submit]")
    assert (
        "没有编码或名称为“V2”的创建主体" in page.locator("[data-field=subject_code] .errorlist").inner_text()
    )


def test_uploading_a_bundle_with_a_bad_row_shows_its_error(page_for, mapped, tmp_path):
    (tmp_path / "subjects.csv").write_text(
        "code,name,kind,category,region_code,department_code,joined_on\n"
        "U9,新学校,institution,school,411103001000,JY,2025-01-01\n"
        "U10,坏单位,enterprise,网吧,411103001000,JY,2025-01-01\n",
        encoding="utf-8",
    )
    page = page_for("admin_user")
    page.goto(page.url.split("/dashboard")[0] + "/import/")
    page.set_input_files("#id_bundle", str(tmp_path / "subjects.csv"))
    page.click("#upload-form button[type=submit]")
    errors = page.locator("#import-errors + .table-wrap").inner_text()
    assert "3" in errors and "类别（category）" in errors and "网吧" in errors


def test_the_api_docs_page_runs_from_vendored_assets_and_tries_a_call(page_for, mapped, live_server):
    page = page_for("town_a")
    outside = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(live_server.url) else outside.append(request.url),
    )
    # Swagger UI draws a long list of operations as they scroll into view: the deep link to the operation
    # scrolls to it and opens it.
    page.goto(f"{live_server.url}/api/v1/docs/#/regions/regions_tree_retrieve")
    page.wait_for_selector(".swagger-ui .opblock-tag")
    assert "三零创建 API" in page.locator(".swagger-ui .info .title").inner_text()
    # Try out GET /api/v1/regions/tree/ with the browser's session.
    operation = page.locator("#operations-regions-regions_tree_retrieve")
    expect(operation).to_have_class(re.compile("is-open"))
    operation.locator("button.try-out__btn").click()
    operation.locator("button.execute").click()
    page.wait_for_selector(
        "#operations-regions-regions_tree_retrieve .live-responses-table .response-col_status"
    )
    assert "沙北街道" in operation.locator(".live-responses-table").inner_text()
    assert outside == []
