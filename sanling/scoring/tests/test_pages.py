import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.core.workbooks import MARK_SHEET
from sanling.scoring.demo import demo_load
from sanling.scoring.models import IndicatorSet
from sanling.scoring.services import IndicatorInput, indicator_set_create

from .conftest import APRIL

pytestmark = pytest.mark.django_db


@pytest.fixture
def towns_set(score_world):
    return indicator_set_create(
        name="示例",
        year=2025,
        target="towns",
        indicators=[
            IndicatorInput(key="rate_village", weight=60, bar=80),
            IndicatorInput(key="rate_unit", weight=40),
        ],
    )


def page_rows(content: str) -> list[list[str]]:
    """The cells of the score table of a page."""
    import re

    table = content.split('id="scores"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def workbook_rows(content: bytes) -> list[list[str]]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    sheet = next(sheet for sheet in workbook if sheet.title != MARK_SHEET)
    return [[str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("user, names", [("admin_user", ["沙北街道", "商桥镇"]), ("town_a", ["沙北街道"])])
def test_the_excel_holds_exactly_the_rows_the_page_shows(client, score_world, towns_set, user, names):
    client.force_login(score_world[user])
    query = {"period": APRIL, "target": "towns"}
    page = client.get(reverse("scoring:list"), query)
    assert page.status_code == 200
    shown = page_rows(page.content.decode())
    assert [row[2] for row in shown] == names
    rows = workbook_rows(client.get(reverse("scoring:export"), query).content)
    assert rows[1:] == shown
    assert len(rows[0]) == len(shown[0]) == 3 + 2 * 2 + 1


def test_the_page_shows_the_breakdown(client, score_world, towns_set):
    client.force_login(score_world["admin_user"])
    rows = page_rows(client.get(reverse("scoring:list"), {"period": APRIL}).content.decode())
    assert rows[0] == ["1", "411103001000", "沙北街道", "66.67%", "50.00", "100.00%", "40.00", "90.00"]


def test_a_bad_period_is_answered_and_the_export_refused(client, score_world, towns_set):
    client.force_login(score_world["admin_user"])
    assert client.get(reverse("scoring:list"), {"period": "2025-13"}).status_code == 400
    assert client.get(reverse("scoring:export"), {"period": "2025-13"}).status_code == 400


def test_the_county_administrator_edits_a_set_and_bad_weights_write_nothing(client, score_world, towns_set):
    client.force_login(score_world["admin_user"])
    url = reverse("scoring:set_edit", args=[towns_set.pk])
    bad = client.post(
        url, {"version": 1, "name": "示例", "weight-rate_village": "50", "weight-rate_unit": "40"}
    )
    assert bad.status_code == 400 and 'id="indicator-set-error"' in bad.content.decode()
    assert IndicatorSet.objects.get().version == 1
    good = client.post(
        url,
        {
            "version": 1,
            "name": "示例",
            "weight-rate_village": "50",
            "weight-rate_unit": "40",
            "weight-red_warnings": "10",
        },
    )
    assert good.status_code == 302
    assert sorted(IndicatorSet.objects.get().indicators.values_list("key", flat=True)) == [
        "rate_unit",
        "rate_village",
        "red_warnings",
    ]


def test_a_new_set_is_created_from_the_form(client, score_world):
    client.force_login(score_world["admin_user"])
    response = client.post(
        reverse("scoring:sets"),
        {
            "target": "departments",
            "name": "部门考核",
            "year": "2025",
            "weight-rate_unit": "70",
            "weight-hazard_rate": "30",
        },
    )
    assert response.status_code == 302
    assert IndicatorSet.objects.get().target == "departments"


@pytest.mark.parametrize("user", ["town_a", "dept", "viewer"])
def test_only_the_county_administrator_opens_the_sets(client, score_world, towns_set, user):
    client.force_login(score_world[user])
    assert client.get(reverse("scoring:sets")).status_code == 403
    assert client.post(reverse("scoring:set_edit", args=[towns_set.pk]), {"version": 1}).status_code == 403


def test_the_scores_api_answers_what_the_page_shows(api_as, score_world, towns_set):
    rows = api_as(score_world["town_a"]).get("/api/v1/scores/", {"period": APRIL, "target": "towns"}).json()
    assert [(row["rank"], row["name"], row["total"]) for row in rows] == [(1, "沙北街道", 90.0)]
    assert [(cell["key"], cell["weight"], cell["raw"], cell["points"]) for cell in rows[0]["cells"]] == [
        ("rate_village", 60.0, 66.67, 50.0),
        ("rate_unit", 40.0, 100.0, 40.0),
    ]


def test_the_indicator_set_api_writes_for_the_county_administrator_only(api_as, score_world):
    body = {
        "name": "示例",
        "year": 2025,
        "target": "towns",
        "indicators": [{"key": "rate_village", "weight": "60"}, {"key": "rate_unit", "weight": "40"}],
    }
    assert (
        api_as(score_world["town_a"]).post("/api/v1/indicator-sets/", body, format="json").status_code == 403
    )
    api = api_as(score_world["admin_user"])
    wrong = api.post("/api/v1/indicator-sets/", {**body, "indicators": body["indicators"][:1]}, format="json")
    assert wrong.status_code == 400
    created = api.post("/api/v1/indicator-sets/", body, format="json")
    assert created.status_code == 201, created.content
    changed = api.patch(
        f"/api/v1/indicator-sets/{created.json()['id']}/",
        {"indicators": [{"key": "rate_village", "weight": "100"}]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert api_as(score_world["town_a"]).get("/api/v1/indicator-sets/").json()["count"] == 0


def test_the_demo_ships_the_example_sets_of_this_year(score_world):
    import datetime

    demo_load(county=score_world["county"], today=datetime.date(2026, 11, 30))
    sets = IndicatorSet.objects.filter(year=2026)
    assert sorted(sets.values_list("target", flat=True)) == ["departments", "towns"]
    for indicator_set in sets:
        assert sum(row.weight for row in indicator_set.indicators.all()) == 100
