"""``sanling recompute --check`` flags the rows no rate can see, not only rollups that differ from a rebuild.

Each test corrupts the database the way a write around the services would (raw ORM), then runs the check.
"""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from sanling.disputes.services import dispute_create
from sanling.regions.models import Region
from sanling.subjects.models import Subject, SubjectPlacement

from .conftest import JAN_1, petition


def check_output() -> str:
    out = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("recompute", "--check", stdout=out)
    assert "检查发现" in str(failure.value)
    return out.getvalue()


def test_the_check_passes_on_a_county_written_through_the_services(world):
    out = io.StringIO()
    call_command("recompute", "--check", stdout=out)
    assert "完全一致" in out.getvalue()


def test_the_check_flags_a_subject_created_without_a_placement(world):
    Subject.objects.create(
        code="U9",
        name="新建幼儿园",
        kind="institution",
        category="kindergarten",
        region=world["shabei"],
        department=world["education"],
        joined_on=JAN_1,
    )
    assert "1 个主体没有当前归属，所有达标率都没有计入：新建幼儿园（U9）" in check_output()


def test_the_check_flags_a_placement_that_is_not_where_the_subject_says_it_is(world):
    Subject.objects.filter(pk=world["factory"].pk).update(region=world["shabei"])
    assert "1 个主体计入的区划或部门与其登记的不同：食品厂（U3）" in check_output()


def test_the_check_flags_a_placement_with_another_department_than_the_subject(world):
    Subject.objects.filter(pk=world["school"].pk).update(department=world["health"])
    assert "实验小学（U1）" in check_output()


def test_the_check_flags_a_gap_in_a_subjects_placement_history(world):
    SubjectPlacement.objects.filter(subject=world["school"]).update(valid_from=datetime.date(2021, 6, 1))
    assert "1 个主体的归属历史有断档" in check_output()


def test_the_check_flags_events_and_disputes_of_a_subject_without_any_placement(world):
    event = petition(world["factory"], datetime.date(2021, 3, 1))
    dispute = dispute_create(subject=world["factory"], reported_on=datetime.date(2021, 3, 2), summary="纠纷")
    SubjectPlacement.objects.filter(subject=world["factory"]).delete()
    out = check_output()
    assert f"1 件事件所属的主体没有任何归属，未计入任何统计：{event.ref}" in out
    assert f"1 件纠纷所属的主体没有任何归属，未计入任何统计：{dispute.ref}" in out


def test_the_check_flags_a_region_whose_path_still_names_its_old_parent(world):
    # What the admin did before it went through region_move: a new parent, the old path.
    Region.objects.filter(pk=world["dongwan"].pk).update(parent=world["shabei"])
    assert "东湾村（411103100201）" in check_output()
