"""Which target holds where: set at a region, inherited down the tree, overridden below."""

from decimal import Decimal

import pytest

from sanling.assessment.periods import Period
from sanling.targets.selectors import compare, same_period_last_year, target_value, targets_in_force
from sanling.targets.services import target_set

from .conftest import THIS_YEAR

pytestmark = pytest.mark.django_db


def test_a_countys_target_holds_in_every_region_below_it(personas, county_targets):
    for name in ("county", "shabei", "jinniu", "grid"):
        assert target_value(region=personas[name], year=THIS_YEAR, group="village") == Decimal("80.00")
        assert target_value(region=personas[name], year=THIS_YEAR, group="unit") == Decimal("90.00")


def test_a_towns_own_target_overrides_the_countys_in_its_subtree_only(personas, county_targets):
    assert target_value(region=personas["shangqiao"], year=THIS_YEAR, group="village") == Decimal("85.00")
    assert target_value(region=personas["dongwan"], year=THIS_YEAR, group="village") == Decimal("85.00")
    assert target_value(region=personas["dongwan"], year=THIS_YEAR, group="unit") == Decimal("90.00")
    assert target_value(region=personas["shabei"], year=THIS_YEAR, group="village") == Decimal("80.00")


def test_above_the_region_that_sets_it_there_is_no_target(personas, county_targets):
    assert target_value(region=personas["city"], year=THIS_YEAR, group="village") is None


def test_a_target_holds_for_its_year_only(personas, county_targets):
    assert target_value(region=personas["shabei"], year=THIS_YEAR - 1, group="village") is None


def test_a_target_for_every_group_holds_for_each_group_unless_one_is_set_for_the_group(personas):
    county, shabei = personas["county"], personas["shabei"]
    target_set(year=THIS_YEAR, region=county, group="", indicator="dispute_resolution", value="90")
    target_set(year=THIS_YEAR, region=county, group="unit", indicator="dispute_resolution", value="95")
    value = target_value(region=shabei, year=THIS_YEAR, group="village", indicator="dispute_resolution")
    assert value == Decimal("90.00")
    value = target_value(region=shabei, year=THIS_YEAR, group="unit", indicator="dispute_resolution")
    assert value == Decimal("95.00")


def test_a_nearer_target_for_every_group_beats_a_farther_one_for_the_group(personas):
    target_set(
        year=THIS_YEAR, region=personas["county"], group="unit", indicator="hazard_rectification", value="95"
    )
    target_set(
        year=THIS_YEAR, region=personas["shabei"], group="", indicator="hazard_rectification", value="70"
    )
    value = target_value(
        region=personas["jinniu"], year=THIS_YEAR, group="unit", indicator="hazard_rectification"
    )
    assert value == Decimal("70.00")


def test_the_target_in_force_is_read_in_one_query(personas, county_targets, django_assert_num_queries):
    with django_assert_num_queries(1):
        target_value(region=personas["grid"], year=THIS_YEAR, group="village")


def test_the_list_says_where_each_target_in_force_was_set(personas, county_targets):
    rows = targets_in_force(root=personas["shabei"], year=THIS_YEAR)
    listed = [
        (row.region.name, row.indicator, row.group, str(row.target.value), row.source.name) for row in rows
    ]
    assert listed == [
        ("沙北街道", "rate", "village", "80.00", "郾城区"),
        ("沙北街道", "rate", "unit", "90.00", "郾城区"),
        ("金牛社区", "rate", "village", "80.00", "郾城区"),
        ("金牛社区", "rate", "unit", "90.00", "郾城区"),
    ]
    assert all(row.inherited for row in rows)


def test_the_countys_list_shows_the_towns_override_as_set_there(personas, county_targets):
    rows = targets_in_force(root=personas["county"], year=THIS_YEAR)
    shangqiao = [row for row in rows if row.region.name == "商桥镇" and row.group == "village"]
    assert [(str(row.target.value), row.inherited) for row in shangqiao] == [("85.00", False)]
    assert {row.region.name for row in rows} == {"郾城区", "沙北街道", "商桥镇"}


def test_an_override_deep_in_the_tree_is_listed_under_the_county(personas, county_targets):
    target_set(year=THIS_YEAR, region=personas["grid"], group="village", indicator="rate", value="100")
    rows = targets_in_force(root=personas["county"], year=THIS_YEAR)
    assert ("金牛社区第一网格", "100.00", False) in [
        (row.region.name, str(row.target.value), row.inherited) for row in rows
    ]


def test_a_comparison_gives_the_gap_and_the_change_in_points():
    compared = compare(value=Decimal("90.71"), target=Decimal("80.00"), last_year_value=Decimal("89.51"))
    assert compared.gap_points == Decimal("10.71")
    assert compared.change_points == Decimal("1.20")
    assert (compared.target_label, compared.gap_text) == ("80", "+10.71")
    assert compared.meets_target is True


def test_a_comparison_without_a_target_or_last_year_has_no_gap():
    compared = compare(value=Decimal("50"), target=None, last_year_value=None)
    assert (compared.gap_points, compared.change_points, compared.sentence) == (None, None, "")


def test_the_same_period_last_year_keeps_its_kind():
    assert same_period_last_year(Period.parse("2025-03")).key == "2024-03"
    assert same_period_last_year(Period.parse("2025Q2")).key == "2024Q2"
    assert same_period_last_year(Period.parse("2025")).key == "2024"


def test_there_is_no_last_year_before_the_earliest_year(settings):
    settings.EARLIEST_YEAR = 2025
    assert same_period_last_year(Period.parse("2025")) is None
