from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.scoring.models import Indicator, IndicatorSet, Mapping
from sanling.scoring.selectors import points_for, score_rows, visible_rows
from sanling.scoring.services import IndicatorInput, indicator_set_create, indicator_set_update

from .conftest import APRIL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def towns_set(**extra):
    return indicator_set_create(
        name="示例",
        year=2025,
        target="towns",
        indicators=[
            IndicatorInput(key="rate_village", weight=60, bar=80),  # linear up to 80
            IndicatorInput(key="rate_unit", weight=40, bar=90, mapping="threshold"),
        ],
        **extra,
    )


def test_scores_are_weighted_points_per_indicator_ranked_by_total(score_world):
    rows = score_rows(indicator_set=towns_set(), county=score_world["county"], period=Period.parse(APRIL))
    table = [(row.rank, row.name, [(cell.raw, cell.points) for cell in row.cells], row.total) for row in rows]
    assert table == [
        # 沙北: villages 2/3 = 66.67% → 60 × 66.67 ÷ 80 = 50.0025 → 50.00; units 100% ≥ 90 → 40.
        (
            1,
            "沙北街道",
            [(Decimal("66.67"), Decimal("50.00")), (Decimal("100.00"), Decimal("40"))],
            Decimal("90.00"),
        ),
        # 商桥: villages 0/1 → 0; units 1/1 = 100% → 40.
        (
            2,
            "商桥镇",
            [(Decimal("0.00"), Decimal("0.00")), (Decimal("100.00"), Decimal("40"))],
            Decimal("40.00"),
        ),
    ]


def test_without_a_bar_or_a_target_full_points_are_at_100(score_world):
    indicator_set = indicator_set_create(
        name="示例", year=2025, target="towns", indicators=[IndicatorInput(key="rate_village", weight=100)]
    )
    rows = score_rows(indicator_set=indicator_set, county=score_world["county"], period=Period.parse(APRIL))
    assert [(row.name, row.cells[0].bar, row.total) for row in rows] == [
        ("沙北街道", Decimal(100), Decimal("66.67")),
        ("商桥镇", Decimal(100), Decimal("0.00")),
    ]


def test_departments_are_scored_on_their_units(score_world):
    indicator_set = indicator_set_create(
        name="部门", year=2025, target="departments", indicators=[IndicatorInput(key="rate_unit", weight=100)]
    )
    rows = score_rows(
        indicator_set=indicator_set, county=score_world["county"], period=Period.parse("2025-03")
    )
    # March: 实验小学 holds, 东湾食品厂 had an accident.
    assert [(row.rank, row.code, row.total) for row in rows] == [
        (1, "JY", Decimal("100.00")),
        (2, "YJ", Decimal("0.00")),
    ]


@pytest.mark.parametrize(
    "mapping, raw, bar, points",
    [
        ("linear", Decimal("45"), Decimal("90"), Decimal("10.00")),
        ("linear", Decimal("95"), Decimal("90"), Decimal("20.00")),  # capped at the weight
        ("threshold", Decimal("89.99"), Decimal("90"), Decimal("0")),
        ("threshold", Decimal("90"), Decimal("90"), Decimal("20")),
        ("zero", Decimal("0"), None, Decimal("20")),
        ("zero", Decimal("2"), None, Decimal("0")),
        ("linear", None, Decimal("90"), Decimal("20")),  # nothing to measure: nothing failed
    ],
)
def test_how_a_raw_value_maps_to_points(mapping, raw, bar, points):
    assert points_for(Indicator(key="x", weight=Decimal(20), mapping=mapping), raw, bar) == points


@pytest.mark.parametrize(
    "rows, problem",
    [
        ([("rate_village", 60), ("rate_unit", 30)], "add up to 100; they add up to 90"),
        ([("rate_village", 60), ("rate_unit", 50)], "add up to 110"),
        ([("rate_village", 100), ("rate_unit", 0)], "weight must be above 0"),
        ([("rate_village", 50), ("rate_village", 50)], "listed twice"),
        ([("made_up", 100)], "not a known indicator"),
        ([("rate_village", "六十"), ("rate_unit", 40)], "is not a number"),
        ([], "at least one"),
    ],
)
def test_a_set_whose_weights_do_not_sum_to_100_or_names_bad_indicators_is_refused(db, rows, problem):
    with pytest.raises(ValidationError, match=problem):
        indicator_set_create(
            name="坏",
            year=2025,
            target="towns",
            indicators=[IndicatorInput(key=k, weight=w) for k, w in rows],
        )
    assert not IndicatorSet.objects.exists() and not Indicator.objects.exists()


def test_a_department_set_cannot_name_an_indicator_of_places(db):
    with pytest.raises(ValidationError, match="cannot be computed"):
        indicator_set_create(
            name="部门",
            year=2025,
            target="departments",
            indicators=[IndicatorInput(key="visit_rate", weight=100)],
        )


def test_an_update_replaces_the_indicators_and_a_bad_one_keeps_the_old(score_world):
    indicator_set = towns_set()
    with pytest.raises(ValidationError, match="add up to 100"):
        indicator_set_update(
            indicator_set=indicator_set, version=1, indicators=[IndicatorInput(key="rate_village", weight=99)]
        )
    assert sorted(indicator_set.indicators.values_list("key", "weight")) == [
        ("rate_unit", Decimal("40.00")),
        ("rate_village", Decimal("60.00")),
    ]
    updated = indicator_set_update(
        indicator_set=indicator_set,
        version=1,
        indicators=[
            IndicatorInput(key="rate_village", weight=70),
            IndicatorInput(key="red_warnings", weight=30),
        ],
    )
    assert updated.version == 2
    assert list(updated.indicators.values_list("key", "mapping")) == [
        ("rate_village", Mapping.LINEAR),
        ("red_warnings", Mapping.ZERO),
    ]


def test_only_the_county_administrator_sets_indicators(score_world):
    with pytest.raises(ValidationError, match="Only the county administrator"):
        towns_set(scope=scope_for(score_world["town_a"]))
    assert towns_set(scope=scope_for(score_world["admin_user"])).pk


def test_a_town_sees_its_own_row_and_a_department_its_own(score_world):
    county, period = score_world["county"], Period.parse(APRIL)
    rows = score_rows(indicator_set=towns_set(), county=county, period=period)
    assert [row.name for row in visible_rows(rows, scope_for(score_world["town_a"]), county)] == ["沙北街道"]
    assert [row.name for row in visible_rows(rows, scope_for(score_world["dept"]), county)] == []
    departments = indicator_set_create(
        name="部门", year=2025, target="departments", indicators=[IndicatorInput(key="rate_unit", weight=100)]
    )
    rows = score_rows(indicator_set=departments, county=county, period=period)
    assert [row.code for row in visible_rows(rows, scope_for(score_world["dept"]), county)] == ["JY"]
    assert [row.code for row in visible_rows(rows, scope_for(score_world["town_a"]), county)] == []
    assert [row.code for row in visible_rows(rows, scope_for(score_world["admin_user"]), county)] == [
        "JY",
        "YJ",
    ]
