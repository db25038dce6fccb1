"""Posts: who holds which post where, with their phone, optional login and dates; empty posts flagged.

"每个网格建立“一长两员”的自治组织，网格员由村“两委”干部担任，老党员从老党员或者热心村民中选聘，监督员由各村民委员会
统筹安排" (商桥镇).
"""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.accounts.scope import scope_for
from sanling.audit.models import AuditEntry
from sanling.core.concurrency import StaleVersion
from sanling.grids.models import Post, PostRequirement
from sanling.grids.selectors import empty_posts, grid_regions_of_user, posts_of_user
from sanling.grids.services import post_create, post_end, post_update, sector_create
from sanling.regions.models import Level
from sanling.regions.services import region_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 1)


def leader(region, **fields):
    values = {"post_type": "grid_leader", "holder_name": "王网格", "phone": "13812345678", "started_on": DAY}
    return post_create(region=region, **(values | fields))


def test_a_post_is_recorded_with_its_phone_encrypted_and_audited(county):
    post = leader(county["grid"])
    assert Post.objects.get().phone == "13812345678"
    assert AuditEntry.objects.filter(object_type="post").exists()
    assert post.ref.startswith("411103001001001-grid_leader-")


def test_a_post_type_outside_the_list_is_refused(county):
    with pytest.raises(ValidationError) as failure:
        leader(county["grid"], post_type="chief")
    assert "post_type" in failure.value.message_dict
    assert not Post.objects.exists()


def test_a_bad_phone_is_refused(county):
    with pytest.raises(ValidationError) as failure:
        leader(county["grid"], phone="12345")
    assert "phone" in failure.value.message_dict


def test_a_post_cannot_end_before_it_started(county):
    with pytest.raises(ValidationError) as failure:
        leader(county["grid"], ended_on=DAY - datetime.timedelta(days=1))
    assert "ended_on" in failure.value.message_dict


def test_a_post_outside_the_writers_area_is_refused_and_nothing_written(personas, county):
    with pytest.raises(ValidationError) as failure:
        leader(county["dongwan"], scope=scope_for(personas["town_a"]))
    assert "region" in failure.value.message_dict
    assert not Post.objects.exists()


def test_a_department_user_writes_no_post(personas, county):
    with pytest.raises(ValidationError):
        leader(county["grid"], scope=scope_for(personas["dept"]))


def test_the_town_operator_records_posts_in_their_town(personas, county):
    leader(county["grid"], scope=scope_for(personas["town_a"]))
    assert Post.objects.count() == 1


def test_an_edit_with_a_stale_version_changes_nothing(county):
    post = leader(county["grid"])
    post_update(post=post, version=1, holder_name="李网格")
    with pytest.raises(StaleVersion):
        post_update(post=post, version=1, holder_name="赵网格")
    assert Post.objects.get().holder_name == "李网格"


def test_an_ended_post_no_longer_counts_from_its_end_day(personas, county):
    post = leader(county["grid"], user=personas["grid_a"])
    assert list(posts_of_user(personas["grid_a"], on=DAY)) == [post]
    post_end(post=post, ended_on=DAY + datetime.timedelta(days=10))
    assert posts_of_user(personas["grid_a"], on=DAY + datetime.timedelta(days=9)).count() == 1
    assert not posts_of_user(personas["grid_a"], on=DAY + datetime.timedelta(days=10)).exists()


def test_a_grid_workers_regions_are_their_posts_and_a_sector_leaders_its_villages(personas, county):
    leader(county["grid"], user=personas["grid_a"])
    assert list(grid_regions_of_user(personas["grid_a"], on=DAY)) == [county["grid"]]
    sector = sector_create(town=county["shangqiao"], code="E", name="东片区", villages=[county["dongwan"]])
    post_create(
        region=county["shangqiao"],
        sector=sector,
        post_type="grid_leader",
        holder_name="班子成员",
        started_on=DAY,
        user=personas["town_b"],
    )
    assert list(grid_regions_of_user(personas["town_b"], on=DAY)) == [county["dongwan"]]


def test_a_sector_lists_only_villages_of_its_town(county):
    with pytest.raises(ValidationError):
        sector_create(town=county["shangqiao"], code="E", name="东片区", villages=[county["jinniu"]])


def test_a_grid_with_an_empty_post_is_flagged(county):
    """By our default: 网格长 and 网格员 in every grid, 楼栋长 in every 楼宇."""
    building = region_create(
        code="411103001001101", name="1号楼", level=Level.BUILDING, parent=county["jinniu"]
    )
    leader(county["grid"])
    flagged = {(empty.region.code, empty.post_type) for empty in empty_posts(county["county"], DAY)}
    assert flagged == {(county["grid"].code, "grid_member"), (building.code, "building_leader")}


def test_requirements_are_data_a_county_edits(county):
    PostRequirement.objects.filter(post_type="grid_member").delete()
    PostRequirement.objects.create(level="grid", post_type="supervisor", minimum=2)
    leader(county["grid"])
    post_create(region=county["grid"], post_type="supervisor", holder_name="监督员甲", started_on=DAY)
    (empty,) = empty_posts(county["jinniu"], DAY)
    assert (empty.post_type, empty.minimum, empty.held) == ("supervisor", 2, 1)
