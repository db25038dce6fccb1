"""The grid's data: post types and required posts are seeded as data a county edits."""

import pytest

from sanling.dictionary.models import Entry
from sanling.grids.models import PostRequirement

pytestmark = pytest.mark.django_db


def test_post_types_are_seeded_as_a_dictionary_list():
    labels = set(Entry.objects.filter(type="post_type").values_list("label", flat=True))
    assert {
        "网格长",
        "网格员",
        "专职网格员",
        "楼栋长",
        "驻村民警（一村一警）",
        "调解员",
        "监督员",
        "老党员",
    } <= labels


def test_default_requirements_are_grid_leader_and_member_per_grid_and_building_leader_per_building():
    """Our default reading of "一长两员"/"一长三员" and 楼栋长."""
    assert set(PostRequirement.objects.values_list("level", "post_type")) == {
        ("grid", "grid_leader"),
        ("grid", "grid_member"),
        ("building", "building_leader"),
    }
