"""The grid as the seeds draw it: 一级/二级/三级 grids and 楼宇 in the region tree.

"全镇划分为东、南、西、中4个一级网格 … 以行政村为主体设置21个二级网格 … 将全镇划分为97个三级网格" (商桥镇);
"实现区、镇（街道）、村（社区）、楼宇、网格“五级联动”" (郾城区).
"""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.assessment.services import assessment_year_open
from sanling.events.services import event_create
from sanling.grids.selectors import grid_tier, grid_tiers
from sanling.grids.services import sector_create
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create

pytestmark = pytest.mark.django_db
JAN_1 = datetime.date(2021, 1, 1)


@pytest.fixture
def tiers(county):
    """东湾村 of 商桥镇 with a 二级 grid, a 三级 grid under it and a 楼宇 under that."""
    second = region_create(
        code="41110310020101", name="东湾村网格", level=Level.GRID, parent=county["dongwan"]
    )
    third = region_create(code="411103100201011", name="东湾一组", level=Level.GRID, parent=second)
    building = region_create(code="4111031002010111", name="1号楼", level=Level.BUILDING, parent=third)
    return {**county, "second": second, "third": third, "building": building}


def test_a_grid_can_nest_in_a_grid_and_a_building_in_a_grid_or_community(tiers):
    assert tiers["third"].parent == tiers["second"]
    assert tiers["building"].path.startswith(tiers["dongwan"].path)
    region_create(code="411103001001901", name="金牛社区1号楼", level=Level.BUILDING, parent=tiers["jinniu"])


def test_a_nested_grid_code_must_start_with_its_village_code(tiers):
    with pytest.raises(ValidationError) as failure:
        region_create(code="411103001001777", name="错码", level=Level.GRID, parent=tiers["second"])
    assert "411103100201" in str(failure.value)


def test_a_building_cannot_stand_under_a_town_and_a_grid_not_under_a_building(tiers):
    with pytest.raises(ValidationError):
        region_create(code="4111031000009", name="镇楼宇", level=Level.BUILDING, parent=tiers["shangqiao"])
    with pytest.raises(ValidationError):
        region_create(code="41110310020101111", name="楼下网格", level=Level.GRID, parent=tiers["building"])


def test_tier_counts_the_grids_above(tiers):
    assert grid_tier(tiers["second"]) == 1
    assert grid_tier(tiers["third"]) == 2
    assert grid_tier(tiers["building"]) is None
    assert grid_tier(tiers["dongwan"]) is None


def test_a_town_with_sectors_makes_its_sectors_the_first_tier(tiers):
    """商桥: 片区 = 一级, a grid under a village = 二级, a grid under a grid = 三级."""
    sector_create(town=tiers["shangqiao"], code="E", name="东片区", villages=[tiers["dongwan"]], actor=None)
    assert grid_tier(tiers["second"]) == 2
    assert grid_tier(tiers["third"]) == 3
    assert grid_tiers([tiers["second"], tiers["third"], tiers["grid"]]) == {
        tiers["second"].pk: 2,
        tiers["third"].pk: 3,
        tiers["grid"].pk: 1,  # 沙北 has no sectors
    }


def test_a_subject_at_a_third_tier_grid_counts_in_its_village_town_and_county(tiers, education):
    sector_create(town=tiers["shangqiao"], code="E", name="东片区", villages=[tiers["dongwan"]], actor=None)
    compliant = subject_create(
        code="U7",
        name="东湾砖厂",
        kind="enterprise",
        category="factory_mine",
        region=tiers["third"],
        joined_on=JAN_1,
        department=education,
    )
    failing = subject_create(
        code="U8",
        name="东湾超市",
        kind="enterprise",
        category="market",
        region=tiers["building"],
        joined_on=JAN_1,
        department=education,
    )
    assessment_year_open(year=2021)
    event_create(
        subject=failing,
        type="accident",
        occurred_on=datetime.date(2021, 3, 1),
        title="事故",
        accident_grade="general",
    )
    period = Period.of_year(2021)
    (units,) = region_rates(region=tiers["building"], period=period, group="unit")
    assert (units.active, units.compliant) == (1, 0)
    for name in ("third", "second", "dongwan", "shangqiao", "county"):
        (units,) = region_rates(region=tiers[name], period=period, group="unit")
        assert (units.active, units.compliant) == (2, 1), name
    assert compliant.region == tiers["third"]
    out = io.StringIO()
    call_command("recompute", "--check", stdout=out)
    assert "完全一致" in out.getvalue()
