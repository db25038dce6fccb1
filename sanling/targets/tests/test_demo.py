"""The demo county's targets: the seeds' 80/90 for last year and this, the county's other targets, and
城关镇's own 85 for its villages."""

import datetime
from decimal import Decimal

import pytest

from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.targets.demo import demo_load
from sanling.targets.selectors import target_value

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def test_the_demo_sets_the_seeds_targets_and_a_towns_override(county, settings):
    settings.EARLIEST_YEAR = 2020
    chengguan = region_create(code="411103101000", name="城关镇", level=Level.TOWN, parent=county["county"])
    demo_load(county=None, today=TODAY)
    for year in (2025, 2026):
        assert target_value(region=county["shabei"], year=year, group="village") == Decimal("80.00")
        assert target_value(region=county["shabei"], year=year, group="unit") == Decimal("90.00")
        value = target_value(
            region=county["jinniu"], year=year, group="village", indicator="dispute_resolution"
        )
        assert value == Decimal("90.00")
    assert target_value(region=chengguan, year=2026, group="village") == Decimal("85.00")
    assert target_value(region=chengguan, year=2025, group="village") == Decimal("80.00")
