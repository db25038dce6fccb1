"""The dashboard as each role sees it: bounded queries, one source for every figure, periods that make sense."""

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sanling.assessment.models import AssessedYear
from sanling.assessment.selectors import default_period
from sanling.events.services import event_create
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create

DAY = datetime.date(2025, 3, 3)
# Every role's page: a handful of reads of exactly the rows it shows, whatever the county's size. The 基层工作
# panel (issue 15) adds each fieldwork domain's figures, a fixed dozen or so aggregate reads; issue 16 adds
# the targets in force (one read of the region's chain) and the county's warning thresholds (one read).
BOUND = 48


def _grow(personas, size: int) -> None:
    """More of everything: towns with villages, grids and units of both departments, and events."""
    county = personas["county"]
    for index in range(size):
        code = f"411103{200 + index:03d}000"
        town = region_create(code=code, name=f"新镇{index}", level=Level.TOWN, parent=county)
        for where in (town, personas["shabei"], personas["jinniu"]):
            level = {Level.TOWN: Level.VILLAGE, Level.VILLAGE: Level.GRID}[where.level]
            suffix = f"{100 + index:03d}" if level == Level.GRID else f"{300 + index:03d}"
            node = region_create(
                code=where.code[: 9 if level == Level.VILLAGE else 12] + suffix,
                name=f"{where.name}{index}",
                level=level,
                parent=where,
            )
            village = subject_create(
                code=f"GV{node.code}",
                name=f"村{node.code}",
                kind="village" if level == Level.VILLAGE else "enterprise",
                category="" if level == Level.VILLAGE else "factory_mine",
                region=node,
                department=None if level == Level.VILLAGE else personas["safety"],
                joined_on=DAY,
            )
            school = subject_create(
                code=f"GU{node.code}",
                name=f"学校{node.code}",
                kind="institution",
                category="school",
                region=node,
                department=personas["education"],
                joined_on=DAY,
            )
            event_create(subject=village, type="criminal_case", occurred_on=DAY, title="盗窃")
            event_create(
                subject=school, type="petition", petition_level="county", occurred_on=DAY, title="信访"
            )


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries)


ROLES = [
    ("admin_user", "county"),  # the county
    ("town_a", "shabei"),  # a town
    ("dept", "county"),  # a department user on its county
    ("dept", "shabei"),  # … and inside a town, where its figures are counted from the villages' units
    ("grid_a", "jinniu"),  # a grid worker in its village
    ("viewer", "county"),  # a leader
]


@pytest.mark.parametrize(("user", "region"), ROLES)
def test_a_roles_dashboard_runs_a_bounded_number_of_queries_that_does_not_grow_with_the_county(
    client, personas, django_assert_num_queries, user, region
):
    client.force_login(personas[user])
    url = reverse("dashboard:region", kwargs={"code": personas[region].code}) + "?period=2025"
    client.get(url)  # the first visit of a session reads the session and profile once more
    before = _count(client, url)
    assert before <= BOUND
    _grow(personas, 3)
    with django_assert_num_queries(before):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("user", "region"), ROLES)
def test_the_map_reads_only_the_childrens_figures(client, personas, django_assert_num_queries, user, region):
    client.force_login(personas[user])
    url = reverse("dashboard:map", kwargs={"code": personas[region].code}) + "?period=2025"
    client.get(url)
    page = reverse("dashboard:region", kwargs={"code": personas[region].code}) + "?period=2025"
    before = _count(client, url)
    assert before < _count(client, page) - 5
    _grow(personas, 2)
    with django_assert_num_queries(before):
        client.get(url)


def test_a_years_rollups_are_opened_once_then_read_like_any_assessed_year(client, personas):
    this_year = timezone.localdate().year
    assert not AssessedYear.objects.filter(year=this_year).exists()  # nothing recorded this year yet
    client.force_login(personas["admin_user"])
    url = reverse("dashboard:region", kwargs={"code": personas["county"].code})
    assert client.get(f"{url}?period={this_year}").status_code == 200
    assert AssessedYear.objects.filter(year=this_year).exists()
    second = _count(client, f"{url}?period={this_year}")
    assert second <= BOUND
    assert second == _count(client, f"{url}?period=2025")


def test_the_landing_period_is_the_current_year_whether_or_not_anything_happened_in_it(client, personas):
    today = timezone.localdate()
    client.force_login(personas["town_a"])
    url = reverse("dashboard:region", kwargs={"code": personas["shabei"].code})
    before = client.get(url)
    event_create(subject=personas["jinniu_village"], type="petition", petition_level="county",
                 occurred_on=today, title="今天的信访")  # fmt: skip
    after = client.get(url)
    assert before.context["board"].period.key == after.context["board"].period.key == str(today.year)
    text = after.content.decode()
    assert f"默认显示本年度（{today.year}年）" in text
    assert f'href="?period={today.year - 1}"' in text


def test_a_deployment_may_pin_the_landing_year_and_the_page_says_so(client, personas, settings):
    # The demo pins its data's year: its figures are the seeds' for 2025, not this year's empty 100%.
    settings.LANDING_YEAR = 2025
    client.force_login(personas["town_a"])
    page = client.get(reverse("dashboard:region", kwargs={"code": personas["shabei"].code}))
    assert page.context["board"].period.key == "2025"
    assert "默认显示 2025 年（本部署设定）" in page.content.decode()


def test_a_pinned_landing_year_never_lands_on_a_year_that_has_not_begun(settings):
    settings.LANDING_YEAR = 2999
    assert default_period(today=datetime.date(2026, 11, 30)).key == "2026"


def _sanling_rates(region, period: str) -> list[dict]:
    out = StringIO()
    call_command("rates", region=region.code, period=period, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_the_broken_zero_figures_add_both_groups_as_sanling_rates_does(client, personas):
    event_create(subject=personas["school"], type="petition", petition_level="county", occurred_on=DAY,
                 title="单位信访")  # fmt: skip
    event_create(subject=personas["dongwan_village"], type="petition", petition_level="county",
                 occurred_on=DAY, title="村信访")  # fmt: skip
    rows = _sanling_rates(personas["county"], "2025")
    client.force_login(personas["admin_user"])
    response = client.get(
        reverse("dashboard:region", kwargs={"code": personas["county"].code}) + "?period=2025"
    )
    expected = {zero: sum(row[f"broke_{zero}"] for row in rows) for zero in ("petition", "accident", "case")}
    assert expected == {"petition": 2, "accident": 1, "case": 1}
    assert response.context["board"].broken == expected
    card = re.search(r'data-card="subjects".*?<div class="sub">(.*?)</div>', response.content.decode(), re.S)
    assert "破零上访 2" in card.group(1)


@pytest.mark.parametrize("period", ["abc", "2025Q9", "1800", "2030", "2030-01"])
def test_a_period_that_makes_no_sense_gets_a_chinese_message_and_the_landing_figures(
    client, personas, period
):
    client.force_login(personas["admin_user"])
    response = client.get(
        reverse("dashboard:region", kwargs={"code": personas["county"].code}), {"period": period}
    )
    assert response.status_code == 400
    message = re.search(r'id="period-refused">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert re.search(r"[\u4e00-\u9fff]{4}", message) and "Showing" not in message
    assert response.context["board"].period.key == str(timezone.localdate().year)  # not 2030's "100%"


def test_the_map_refuses_a_future_period_in_chinese(client, personas):
    client.force_login(personas["admin_user"])
    response = client.get(
        reverse("dashboard:map", kwargs={"code": personas["county"].code}), {"period": "2030"}
    )
    assert response.status_code == 400
    assert "尚未开始" in response.json()["detail"]


def test_the_period_menu_lists_the_years_from_the_earliest_to_this_one_only(client, personas, settings):
    AssessedYear.objects.create(
        year=1900
    )  # left by an event mistyped as 1900-01-01 before dates were checked
    client.force_login(personas["admin_user"])
    response = client.get(reverse("dashboard:region", kwargs={"code": personas["county"].code}))
    years = [key for key, _label in response.context["periods"] if key.isdigit()]
    this_year = timezone.localdate().year
    assert years == [str(year) for year in range(this_year, settings.EARLIEST_YEAR - 1, -1)]
    assert "1900年" not in response.content.decode()


def test_a_department_user_sees_no_village_card_and_no_empty_columns(client, personas):
    client.force_login(personas["dept"])
    response = client.get(
        reverse("dashboard:region", kwargs={"code": personas["county"].code}) + "?period=2025"
    )
    text = response.content.decode()
    assert 'data-card="village"' not in text
    ranking = re.search(r'<table id="ranking">(.*?)</table>', text, re.S).group(1)
    assert "0/0" not in ranking and "村社区" not in ranking
    assert "1/1" in ranking  # the school, in 沙北街道
    assert "village" not in response.context["trend"]


@pytest.fixture
def mapped(personas):
    """The personas' county with outlines for both towns."""
    from sanling.regions.services import region_boundaries_load

    def square(code: str, x: float) -> dict:
        ring = [[x, 33.5], [x + 0.05, 33.5], [x + 0.05, 33.55], [x, 33.55], [x, 33.5]]
        return {
            "type": "Feature",
            "properties": {"code": code},
            "geometry": {"type": "Polygon", "coordinates": [ring]},
        }

    region_boundaries_load(
        feature_collection={
            "type": "FeatureCollection",
            "features": [square(personas["shabei"].code, 113.90), square(personas["shangqiao"].code, 113.95)],
        }
    )
    return personas


def test_the_map_has_a_key_of_the_configured_thresholds_and_says_whose_rate_it_shows(client, mapped):
    from sanling.alerts.selectors import rule_set_on
    from sanling.alerts.services import thresholds_set

    rule_set = rule_set_on(timezone.localdate())
    thresholds_set(rule_set=rule_set, group="village", values={"red": "85", "orange": "92.5", "yellow": "97"})
    client.force_login(mapped["admin_user"])
    response = client.get(
        reverse("dashboard:region", kwargs={"code": mapped["county"].code}) + "?period=2025"
    )
    legend = re.search(r'<ul class="legend" id="legend">(.*?)</ul>', response.content.decode(), re.S).group(1)
    for text in ("村社区 ≥97%", "村社区 92.5%–97%", "村社区 85%–92.5%", "村社区 &lt;85%", "企事业 &lt;80%"):
        assert text in legend
    groups = {f["properties"]["name"]: f["properties"]["group"] for f in response.context["map"]["features"]}
    assert groups == {"沙北街道": "村社区", "商桥镇": "村社区"}


def test_a_months_broken_zero_is_marked_for_colouring_on_the_subjects_page(client, personas):
    client.force_login(personas["town_a"])
    response = client.get(
        reverse("subjects:detail", kwargs={"pk": personas["jinniu_village"].pk}), {"year": 2025}
    )
    assert '<td class="broke">✗</td>' in response.content.decode()


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1800"}, {"year": "99999"}, {"period": "2030"}])
def test_the_subject_page_refuses_a_period_that_makes_no_sense_in_chinese(client, personas, query):
    client.force_login(personas["town_a"])
    response = client.get(reverse("subjects:detail", kwargs={"pk": personas["jinniu_village"].pk}), query)
    assert response.status_code == 200
    message = re.search(r'id="period-refused">(.*?)</p>', response.content.decode(), re.S).group(1)
    assert re.search(r"[\u4e00-\u9fff]{4}", message)
    assert response.context["year"] == timezone.localdate().year


def test_the_subject_page_honours_period_as_well_as_year(client, personas):
    client.force_login(personas["town_a"])
    response = client.get(reverse("subjects:detail", kwargs={"pk": personas["jinniu_village"].pk}),
                          {"period": "2025-03"})  # fmt: skip
    assert response.context["year"] == 2025
    assert '<td class="broke">✗</td>' in response.content.decode()


@pytest.mark.parametrize("period", ["2030", "1800", "abc"])
def test_the_rates_api_refuses_a_period_that_makes_no_sense_with_a_chinese_400(personas, api_as, period):
    response = api_as(personas["admin_user"]).get(
        "/api/v1/rates/", {"region": personas["county"].code, "period": period}
    )
    assert response.status_code == 400
    assert re.search(r"[\u4e00-\u9fff]", json.dumps(response.json(), ensure_ascii=False))


def test_the_status_api_refuses_a_future_period_with_a_chinese_400(personas, api_as):
    response = api_as(personas["admin_user"]).get(f"/api/v1/subjects/{personas['school'].code}/status/",
                                                  {"period": "2030"})  # fmt: skip
    assert response.status_code == 400
    assert "尚未开始" in json.dumps(response.json(), ensure_ascii=False)


def test_sanling_rates_refuses_a_future_period_in_chinese(personas):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="尚未开始"):
        _sanling_rates(personas["county"], "2030")
