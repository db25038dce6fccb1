"""The demo's grids are the seeds' 商桥镇: "全镇划分为东、南、西、中4个一级网格 … 21个二级网格 … 97个三级网格"."""

from decimal import Decimal

import pytest

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.assessment.services import assessment_check
from sanling.demo.services import demo_load
from sanling.grids.models import Post, Sector
from sanling.grids.selectors import empty_posts, grid_tiers, posts_of_user
from sanling.regions.models import Region


@pytest.mark.django_db(transaction=False)
def test_the_demo_draws_shangqiao_as_the_seeds_do_and_keeps_the_rates(tmp_path):
    from django.contrib.auth import get_user_model

    demo_load(folder=tmp_path, year=2025)
    town = Region.objects.get(code="411103108000")
    assert Sector.objects.filter(town=town).count() == 4
    grids = list(Region.objects.filter(path__startswith=town.path, level="grid"))
    tiers = grid_tiers(grids)
    assert sorted(tiers.values()).count(2) == 21
    assert sorted(tiers.values()).count(3) == 97
    assert not empty_posts(town)  # full rosters: 一长两员 in every grid
    assert Post.objects.filter(sector__town=town).count() == 4  # 一级网格长
    worker = get_user_model().objects.get(username="grid")
    assert posts_of_user(worker).exists()
    village, unit = region_rates(region=Region.objects.get(code="411103000000"), period=Period.parse("2025"))
    assert (village.rate, unit.rate) == (Decimal("90.71"), Decimal("97.71"))
    assert assessment_check(years=[2025]) == []
