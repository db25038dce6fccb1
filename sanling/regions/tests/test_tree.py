import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.regions.models import Level, Region, RegionBoundary
from sanling.regions.selectors import region_ancestors, region_ancestors_on, region_children, region_subtree
from sanling.regions.services import region_boundaries_load, region_create, region_move


def codes(queryset):
    return [region.code for region in queryset]


def test_subtree_of_a_town_is_the_town_its_villages_and_their_grids(county):
    assert codes(region_subtree(county["shabei"])) == ["411103001000", "411103001001", "411103001001001"]


def test_subtree_is_a_single_query(county, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(region_subtree(county["county"]))


def test_subtree_can_leave_out_the_node_itself(county):
    assert "411103001000" not in codes(region_subtree(county["shabei"], include_self=False))


def test_ancestors_run_from_the_root_down(county):
    assert codes(region_ancestors(county["grid"])) == [
        "410000000000",
        "411100000000",
        "411103000000",
        "411103001000",
        "411103001001",
    ]


def test_ancestors_are_a_single_query(county, django_assert_num_queries):
    with django_assert_num_queries(1):
        list(region_ancestors(county["grid"], include_self=True))


def test_children_are_the_direct_descendants_only(county):
    assert codes(region_children(county["county"])) == ["411103001000", "411103100000"]


def test_a_village_must_hang_under_a_town(county):
    with pytest.raises(ValidationError) as error:
        region_create(code="411103000999", name="错位村", level=Level.VILLAGE, parent=county["county"])
    assert "parent" in error.value.message_dict


def test_a_grid_code_extends_its_village_code(county):
    with pytest.raises(ValidationError) as error:
        region_create(code="411103100201001", name="错码网格", level=Level.GRID, parent=county["jinniu"])
    assert "code" in error.value.message_dict


def test_an_administrative_code_has_twelve_digits(county):
    with pytest.raises(ValidationError):
        region_create(code="4111031002", name="短码镇", level=Level.TOWN, parent=county["county"])


def test_moving_a_village_moves_its_grids_too(county):
    region_move(region=county["jinniu"], new_parent=county["shangqiao"], moved_on=datetime.date(2022, 7, 1))
    grid = Region.objects.get(code="411103001001001")
    assert grid.path == "/410000000000/411100000000/411103000000/411103100000/411103001001/411103001001001/"
    assert codes(region_subtree(county["shabei"])) == ["411103001000"]


def test_a_move_keeps_where_the_subtree_was_before(county):
    region_move(region=county["jinniu"], new_parent=county["shangqiao"], moved_on=datetime.date(2022, 7, 1))
    grid = Region.objects.get(code="411103001001001")
    assert "411103001000" in codes(region_ancestors_on(grid, datetime.date(2022, 6, 30)))
    assert "411103100000" in codes(region_ancestors_on(grid, datetime.date(2022, 7, 1)))
    assert grid.history.get().valid_to == datetime.date(2022, 7, 1)


def test_a_region_cannot_move_under_its_own_descendant(county):
    with pytest.raises(ValidationError):
        region_move(region=county["shabei"], new_parent=county["jinniu"], moved_on=datetime.date(2022, 1, 1))


def test_a_move_must_respect_the_level_order(county):
    with pytest.raises(ValidationError):
        region_move(region=county["jinniu"], new_parent=county["county"], moved_on=datetime.date(2022, 1, 1))
    assert Region.objects.get(code="411103001001").parent == county["shabei"]


def test_a_move_cannot_be_dated_before_the_previous_move(county):
    region_move(region=county["jinniu"], new_parent=county["shangqiao"], moved_on=datetime.date(2022, 7, 1))
    with pytest.raises(ValidationError):
        region_move(region=county["jinniu"], new_parent=county["shabei"], moved_on=datetime.date(2022, 1, 1))


def square(code):
    ring = [[113.9, 33.5], [114.0, 33.5], [114.0, 33.6], [113.9, 33.6], [113.9, 33.5]]
    return {
        "type": "Feature",
        "properties": {"code": code},
        "geometry": {"type": "Polygon", "coordinates": [ring]},
    }


def test_boundaries_are_stored_by_region_code(county):
    assert (
        region_boundaries_load(
            feature_collection={"type": "FeatureCollection", "features": [square("411103001000")]}
        )
        == 1
    )
    assert county["shabei"].boundary.geometry["type"] == "Polygon"


def test_a_map_naming_an_unknown_region_stores_nothing(county):
    features = [square("411103001000"), square("999999999999")]
    with pytest.raises(ValidationError, match="999999999999"):
        region_boundaries_load(feature_collection={"type": "FeatureCollection", "features": features})
    assert not RegionBoundary.objects.exists()


def test_a_region_cannot_move_to_before_a_later_move_inside_its_subtree(county):
    # Found in review: 金牛社区 left 沙北街道 for 商桥镇 on 2022-09-01; dating a move of 商桥镇 earlier would give
    # 金牛社区 a history row ending before it began, and its earlier figures would land in the wrong town.
    region_move(region=county["jinniu"], new_parent=county["shangqiao"], moved_on=datetime.date(2022, 9, 1))
    other = region_create(code="411104000000", name="召陵区", level=Level.COUNTY, parent=county["city"])
    with pytest.raises(ValidationError) as refused:
        region_move(region=county["shangqiao"], new_parent=other, moved_on=datetime.date(2022, 7, 1))
    assert "2022-09-01" in refused.value.message_dict["moved_on"][0]
    assert Region.objects.get(pk=county["shangqiao"].pk).parent_id == county["county"].pk
