"""待反馈 → 已反馈 → 已办结, or 退回; who may act; evidence and late reasons."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.assignments.models import AssignmentStatus, week_label
from sanling.assignments.services import (
    assignment_accept,
    assignment_create,
    assignment_feedback,
    assignment_return,
)
from sanling.audit.models import AuditEntry
from sanling.work.transitions import TransitionRefused

from .conftest import give, photo

pytestmark = pytest.mark.django_db


def test_an_assignment_is_fed_back_with_evidence_and_concluded_by_the_giver(jb):
    assignment = give(jb)
    assert assignment.status == AssignmentStatus.PENDING
    assert assignment.owner is None or assignment.owner == jb["org_shangqiao"].head
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已入户排查 12 户", evidence=[photo()])
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FED_BACK
    assert assignment.evidence.count() == 1
    assignment_accept(assignment=assignment, user=jb["admin_user"])
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DONE
    assert assignment.concluded_on == timezone.localdate()
    assert [entry.action for entry in assignment.timeline.all()] == ["give", "feedback", "accept"]
    assert AuditEntry.objects.filter(object_type="assignment", object_key=assignment.ref).count() == 3


def test_the_week_label_is_computed_from_the_day_given(jb):
    assignment = give(jb)
    assert assignment.week == week_label(assignment.given_on)
    assert week_label(datetime.date(2026, 11, 26)) == "2026年第48周"


def test_a_returned_assignment_goes_back_to_awaiting_feedback_with_the_reason(jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    assignment_return(assignment=assignment, user=jb["admin_user"], reason="照片不能反映整改结果")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING
    assert assignment.returns == 1
    assert assignment.timeline.last().note == "照片不能反映整改结果"
    assignment_feedback(
        assignment=assignment, user=jb["town_b"], text="补充照片", evidence=[photo(filler=b"1")]
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FED_BACK


def test_returning_needs_a_reason(jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    with pytest.raises(ValidationError) as error:
        assignment_return(assignment=assignment, user=jb["admin_user"], reason=" ")
    assert error.value.message_dict["reason"] == [_("Say why the feedback is returned.")]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FED_BACK


def test_feedback_without_evidence_is_refused_and_writes_nothing(jb):
    assignment = give(jb)
    with pytest.raises(ValidationError) as error:
        assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[])
    assert error.value.message_dict["evidence"] == [
        _("Attach at least one evidence file (a photo, a scan or a PDF).")
    ]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING
    assert assignment.feedback == ""
    assert assignment.timeline.count() == 1


def test_feedback_after_the_deadline_needs_a_late_reason(jb):
    assignment = give(jb, days_ago=10, due_in=-3)
    with pytest.raises(ValidationError) as error:
        assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    assert error.value.message_dict["late_reason"] == [
        _("The deadline (%(date)s) has passed: say why the feedback is late.")
        % {"date": assignment.due_on.isoformat()}
    ]
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING
    assert assignment.evidence.count() == 0
    assignment_feedback(
        assignment=assignment,
        user=jb["town_b"],
        text="已处理",
        evidence=[photo()],
        late_reason="当事人外出务工，返乡后处理",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FED_BACK
    assert assignment.late_reason == "当事人外出务工，返乡后处理"


def test_feedback_in_time_needs_no_late_reason(jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    assert assignment.__class__.objects.get(pk=assignment.pk).late_reason == ""


def test_only_the_receiving_organisation_feeds_back(jb):
    assignment = give(jb)
    for outsider in ("town_a", "admin_user", "dept"):
        with pytest.raises(PermissionDenied):
            assignment_feedback(assignment=assignment, user=jb[outsider], text="代为反馈", evidence=[photo()])
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.PENDING


def test_only_the_giving_side_accepts_or_returns(jb):
    assignment = give(jb)
    assignment_feedback(assignment=assignment, user=jb["town_b"], text="已处理", evidence=[photo()])
    for outsider in ("town_b", "town_a", "dept", "viewer"):
        with pytest.raises(PermissionDenied):
            assignment_accept(assignment=assignment, user=jb[outsider])
        with pytest.raises(PermissionDenied):
            assignment_return(assignment=assignment, user=jb[outsider], reason="不行")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.FED_BACK


def test_a_town_gives_to_its_own_organisations_and_accepts_them(jb):
    assignment = assignment_create(
        giver_region=jb["shabei"],
        organisation=jb["org_jinniu"],
        owner=jb["grid_a"],
        issue="金牛社区入户走访",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
    )
    assignment_feedback(assignment=assignment, user=jb["grid_a"], text="走访完成", evidence=[photo()])
    assignment_accept(assignment=assignment, user=jb["town_a"])
    assert assignment.__class__.objects.get(pk=assignment.pk).status == AssignmentStatus.DONE
    with pytest.raises(PermissionDenied):  # 商桥 is not the giver of 沙北's assignment
        assignment_accept(assignment=give(jb, organisation="org_jinniu"), user=jb["town_b"])


def test_accepting_before_feedback_is_refused(jb):
    assignment = give(jb)
    with pytest.raises(TransitionRefused) as refused:
        assignment_accept(assignment=assignment, user=jb["admin_user"])
    assert str(AssignmentStatus.PENDING.label) in refused.value.message


def test_a_giver_gives_only_to_organisations_in_its_area(jb):
    from sanling.accounts.scope import scope_for

    with pytest.raises(ValidationError):
        assignment_create(
            giver_region=jb["shabei"],
            organisation=jb["org_shangqiao"],
            issue="越界交办",
            due_on=timezone.localdate(),
        )
    with pytest.raises(PermissionDenied):
        assignment_create(
            giver_region=jb["county"],
            organisation=jb["org_shabei"],
            issue="越权交办",
            due_on=timezone.localdate(),
            scope=scope_for(jb["town_a"]),
        )


def test_a_deadline_before_the_day_given_is_refused(jb):
    with pytest.raises(ValidationError) as error:
        give(jb, days_ago=0, due_in=-1)
    assert error.value.message_dict["due_on"] == [
        _("The deadline cannot be before the day the assignment is given.")
    ]


def test_the_owner_must_belong_to_the_organisation(jb):
    with pytest.raises(ValidationError) as error:
        give(jb, owner=jb["town_a"])
    assert "owner" in error.value.message_dict


def test_an_assignment_is_overdue_while_open_past_its_deadline(jb):
    today = timezone.localdate()
    late = give(jb, days_ago=10, due_in=-1)
    assert late.overdue_on(today)
    assignment_feedback(
        assignment=late, user=jb["town_b"], text="已处理", evidence=[photo()], late_reason="人手不足"
    )
    late.refresh_from_db()
    assert late.overdue_on(today)  # fed back but not yet accepted: still open
    assignment_accept(assignment=late, user=jb["admin_user"])
    late.refresh_from_db()
    assert not late.overdue_on(today)
    assert not give(jb).overdue_on(today)


def test_the_giving_organisation_is_the_givers_comprehensive_centre_where_it_has_one(jb):
    from sanling.organisations.services import organisation_create

    assert give(jb).giver_organisation is None
    centre = organisation_create(
        code="YC-ZZZX", name="郾城区综治中心", kind="comprehensive_centre", region=jb["county"]
    )
    assert give(jb).giver_organisation == centre
