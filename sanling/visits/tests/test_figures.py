"""走访 figures from the records: distinct households, 人次, households counted, coverage, per region."""

import datetime
from decimal import Decimal

import pytest

from sanling.assessment.periods import Period
from sanling.regions.services import region_create
from sanling.visits.figures import household_visit_breakdown, household_visit_figures
from sanling.visits.models import HouseholdVisit, household_key
from sanling.visits.services import household_count_create, household_visit_create

pytestmark = pytest.mark.django_db
YEAR = Period.of_year(2025)
DAY = datetime.date(2025, 6, 1)


def bulk_visits(region, households: int, *, revisits: int, two_person_visits: int, day=DAY) -> None:
    """``households`` households visited once, the first ``revisits`` of them twice; the first
    ``two_person_visits`` visits met two people, the others one. Written with bulk inserts to stay fast."""
    rows = []
    for number in range(households + revisits):
        house = f"{number % households}号"
        rows.append(
            HouseholdVisit(
                ref=f"T{region.code}{number:07d}",
                region=region,
                household=house,
                household_key=household_key(region.code, house),
                visited_on=day,
                theme="six_promotions",
                persons_met=2 if number < two_person_visits else 1,
            )
        )
    HouseholdVisit.objects.bulk_create(rows, batch_size=5000)


def test_it_reproduces_the_seeds_figures_for_a_county(personas, scopes):
    """郾城区: "该区共走访6万余户，累计走访13万余人次" — 60,123 households and 131,456 person-visits."""
    # 金牛社区: 40,000 households, 6,000 visited twice; 东湾村: 20,123 households, 4,000 visited twice.
    bulk_visits(personas["jinniu"], 40_000, revisits=6_000, two_person_visits=40_000)
    bulk_visits(personas["dongwan"], 20_123, revisits=4_000, two_person_visits=21_333)
    household_count_create(
        scope=scopes["admin_user"], region=personas["jinniu"], households=41_000, as_of=DAY
    )
    household_count_create(
        scope=scopes["admin_user"], region=personas["dongwan"], households=21_000, as_of=DAY
    )

    figures = household_visit_figures(region=personas["county"], period=YEAR)

    assert figures.households_visited == 60_123
    # visits: 46,000 + 24,123 = 70,123, each one person; 40,000 + 21,333 of them two: 70,123 + 61,333.
    assert figures.person_visits == 131_456
    assert figures.visits == 70_123
    assert figures.households == 62_000
    assert figures.coverage_rate == Decimal("96.97")  # 60,123 ÷ 62,000


def test_a_household_visited_twice_counts_once_however_its_number_is_written(personas, scopes):
    for spelling in ("3组12号", "３组 12号"):
        household_visit_create(
            scope=scopes["town_a"],
            region=personas["jinniu"],
            household=spelling,
            visited_on=DAY,
            theme="six_promotions",
            persons_met=3,
        )
    figures = household_visit_figures(region=personas["shabei"], period=YEAR)
    assert (figures.visits, figures.households_visited, figures.person_visits) == (2, 1, 6)


def test_only_visits_of_the_period_count(personas, scopes):
    for day in (datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)):
        household_visit_create(
            scope=scopes["town_a"],
            region=personas["jinniu"],
            household="1号",
            visited_on=day,
            theme="publicity",
        )
    assert household_visit_figures(region=personas["county"], period=YEAR).visits == 1
    assert household_visit_figures(region=personas["county"], period=Period.month(2024, 12)).visits == 1


def test_households_are_the_latest_count_as_of_the_periods_end(personas, scopes):
    for day, households in (
        (datetime.date(2024, 1, 1), 700),
        (datetime.date(2025, 3, 1), 800),
        (datetime.date(2026, 1, 1), 900),
    ):
        household_count_create(
            scope=scopes["town_a"], region=personas["jinniu"], households=households, as_of=day
        )
    assert household_visit_figures(region=personas["shabei"], period=YEAR).households == 800
    assert household_visit_figures(region=personas["shabei"], period=Period.of_year(2024)).households == 700


def test_a_village_counted_as_a_whole_and_by_grid_is_not_counted_twice(personas, scopes):
    household_count_create(scope=scopes["town_a"], region=personas["jinniu"], households=800, as_of=DAY)
    household_count_create(scope=scopes["town_a"], region=personas["grid"], households=300, as_of=DAY)
    assert household_visit_figures(region=personas["county"], period=YEAR).households == 800
    assert household_visit_figures(region=personas["grid"], period=YEAR).households == 300


def test_coverage_without_counted_households_is_none(personas, scopes):
    household_visit_create(
        scope=scopes["town_a"], region=personas["jinniu"], household="1号", visited_on=DAY, theme="publicity"
    )
    figures = household_visit_figures(region=personas["county"], period=YEAR)
    assert figures.coverage_rate is None
    assert ("覆盖率", "—") in figures.rows()


def test_a_scope_sees_only_its_own_visits(personas, scopes):
    for region, scope in ((personas["jinniu"], scopes["town_a"]), (personas["dongwan"], scopes["town_b"])):
        household_visit_create(scope=scope, region=region, household="1号", visited_on=DAY, theme="publicity")
    assert household_visit_figures(region=personas["county"], period=YEAR, scope=scopes["town_a"]).visits == 1
    assert household_visit_figures(region=personas["county"], period=YEAR, scope=scopes["dept"]).visits == 0


def test_the_breakdown_gives_each_child_region_in_three_queries(
    personas, scopes, django_assert_max_num_queries
):
    second = region_create(code="411103100202", name="西湾村", level="village", parent=personas["shangqiao"])
    for region, scope, house in (
        (personas["grid"], scopes["town_a"], "1号"),
        (personas["jinniu"], scopes["town_a"], "2号"),
        (personas["dongwan"], scopes["town_b"], "1号"),
        (second, scopes["town_b"], "1号"),
    ):
        household_visit_create(scope=scope, region=region, household=house, visited_on=DAY, theme="publicity")
    household_count_create(scope=scopes["town_b"], region=second, households=4, as_of=DAY)
    with django_assert_max_num_queries(3):
        rows = household_visit_breakdown(region=personas["county"], period=YEAR)
    assert [(row.region_name, row.households_visited, row.households) for row in rows] == [
        ("沙北街道", 2, 0),
        ("商桥镇", 2, 4),
    ]
    assert rows[1].coverage_rate == Decimal("50.00")


def test_visits_placed_at_the_region_itself_lead_the_breakdown(personas, scopes):
    for region, house in ((personas["jinniu"], "1号"), (personas["grid"], "2号")):
        household_visit_create(
            scope=scopes["town_a"], region=region, household=house, visited_on=DAY, theme="publicity"
        )
    rows = household_visit_breakdown(region=personas["jinniu"], period=YEAR)
    assert [(row.region_name, row.households_visited) for row in rows] == [
        ("金牛社区（本级）", 1),
        ("金牛社区第一网格", 1),
    ]


def test_a_child_keeps_its_own_count_when_the_parent_is_counted_too(personas, scopes):
    household_count_create(scope=scopes["town_a"], region=personas["jinniu"], households=800, as_of=DAY)
    household_count_create(scope=scopes["town_a"], region=personas["grid"], households=300, as_of=DAY)
    rows = household_visit_breakdown(region=personas["jinniu"], period=YEAR)
    assert [(row.region_name, row.households) for row in rows] == [("金牛社区第一网格", 300)]
