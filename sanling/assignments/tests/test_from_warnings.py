"""交办 from a warning list in one step: one assignment per organisation answering for the picked subjects."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanling.assignments.models import Assignment, AssignmentSource
from sanling.assignments.services import WarningPick, assignments_from_warnings, organisation_for_subject

pytestmark = pytest.mark.django_db


def test_one_assignment_per_organisation_with_the_reasons_in_the_issue(jb):
    from sanling.organisations.services import organisation_create
    from sanling.subjects.services import subject_create

    organisation_create(
        code="YJ-OFFICE",
        name="区应急管理局办公室",
        kind="department",
        region=jb["county"],
        department=jb["safety"],
    )
    from sanling.departments.models import Department

    commerce = Department.objects.create(code="SW", name="区商务局")  # no office of its own
    second_village = subject_create(
        code="U3",
        name="东湾超市",
        kind="enterprise",
        category="market",
        region=jb["dongwan"],
        department=commerce,
        joined_on=datetime.date(2025, 3, 3),
    )
    result = assignments_from_warnings(
        giver_region=jb["county"],
        picks=[
            WarningPick(subject=jb["dongwan_village"], reasons=["本月发生刑事案件"]),
            WarningPick(subject=second_village, reasons=["积案逾期"]),
            WarningPick(subject=jb["factory"], reasons=["重大隐患逾期未整改"]),
            WarningPick(subject=jb["jinniu_village"], reasons=["走访未完成"]),
        ],
        due_on=timezone.localdate() + datetime.timedelta(days=7),
    )
    by_org = {assignment.organisation.code: assignment for assignment in result.created}
    assert set(by_org) == {"DW-TWH", "YJ-OFFICE", "JN-TWH"}
    dongwan = by_org["DW-TWH"]
    assert "东湾村（V2）：本月发生刑事案件" in dongwan.issue
    assert "东湾超市（U3）：积案逾期" in dongwan.issue
    assert set(dongwan.subjects.values_list("code", flat=True)) == {"V2", "U3"}
    assert "重大隐患逾期未整改" in by_org["YJ-OFFICE"].issue
    assert all(assignment.source == AssignmentSource.WARNING for assignment in result.created)
    assert result.without_organisation == []


def test_a_subject_no_organisation_answers_for_is_returned_not_given(jb):
    from sanling.regions.services import region_create

    far = region_create(code="411103200000", name="新店镇", level="town", parent=jb["county"])
    from sanling.subjects.services import subject_create

    village = region_create(code="411103200201", name="新店村", level="village", parent=far)
    lonely = subject_create(
        code="V9", name="新店村", kind="village", region=village, joined_on=datetime.date(2025, 3, 3)
    )
    result = assignments_from_warnings(
        giver_region=jb["county"],
        picks=[WarningPick(subject=lonely, reasons=["红色预警"])],
        due_on=timezone.localdate(),
    )
    assert result.created == [] and result.without_organisation == [lonely]
    assert not Assignment.objects.exists()


def test_the_nearest_organisation_answers_for_a_village(jb):
    assert organisation_for_subject(jb["dongwan_village"], giver_region=jb["county"]).code == "DW-TWH"
    # a town giving: its own 矛调中心 stands at its level, the village's 调委会 answers
    assert organisation_for_subject(jb["jinniu_village"], giver_region=jb["shabei"]).code == "JN-TWH"


def test_picking_a_subject_outside_the_givers_area_writes_nothing(jb):
    from sanling.accounts.scope import scope_for

    with pytest.raises(ValidationError):
        assignments_from_warnings(
            giver_region=jb["shabei"],
            picks=[
                WarningPick(subject=jb["jinniu_village"], reasons=["黄色"]),
                WarningPick(subject=jb["dongwan_village"], reasons=["红色"]),
            ],
            due_on=timezone.localdate(),
            scope=scope_for(jb["town_a"]),
        )
    assert not Assignment.objects.exists()
