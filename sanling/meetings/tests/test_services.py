"""The meeting services. Seeds (龙塔街道): "引导社区推行“510”圆桌议事会(“5”即党员代表、居民代表、网格员、网格长和街道干部,
“10”即每月召开一次会议,“0”即实现党群关系零距离)制度"."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.accounts.scope import scope_for
from sanling.disputes.models import Dispute
from sanling.hazards.models import Hazard
from sanling.meetings.models import Attendance, Frequency, Meeting, MeetingKindRule, MeetingProblem
from sanling.meetings.services import (
    AttendeeInput,
    ProblemInput,
    meeting_adoption_create,
    meeting_create,
    meeting_problem_add,
    meeting_update,
)

from .conftest import five_present

pytestmark = pytest.mark.django_db


def test_the_510_is_seeded_monthly_with_its_five_participant_categories():
    rule = MeetingKindRule.objects.get(kind="510圆桌议事会")
    assert rule.frequency == Frequency.MONTHLY
    assert rule.participant_categories == [
        "party_member",
        "resident",
        "grid_member",
        "grid_head",
        "street_cadre",
    ]


def test_the_mobilisation_and_progress_meetings_are_held_as_needed():
    assert set(MeetingKindRule.objects.filter(frequency="none").values_list("kind", flat=True)) >= {
        "动员会",
        "推进会",
    }


def test_a_510_is_recorded_with_its_attendance(meeting_world):
    meeting = meeting_create(
        region=meeting_world["jinniu"],
        kind="510圆桌议事会",
        held_on=meeting_world["today"],
        place="金牛社区党群服务中心",
        attendance=[*five_present(), AttendeeInput(category="deputy", name="陈代表")],
        scope=scope_for(meeting_world["town_a"]),
    )
    assert meeting.ref.startswith("YS")
    assert meeting.attendance.count() == 6


def test_a_510_without_a_grid_head_present_is_refused(meeting_world):
    attendance = [row for row in five_present() if row.category != "grid_head"]
    attendance.append(AttendeeInput(category="grid_head", name="赵网格长", present=False))
    with pytest.raises(ValidationError) as error:
        meeting_create(
            region=meeting_world["jinniu"],
            kind="510圆桌议事会",
            held_on=meeting_world["today"],
            attendance=attendance,
        )
    assert "网格长" in str(error.value.message_dict["attendance"])
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_a_meeting_in_another_town_is_refused(meeting_world):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            region=meeting_world["dongwan"],
            kind="推进会",
            held_on=meeting_world["today"],
            scope=scope_for(meeting_world["town_a"]),
        )
    assert "辖区" in str(error.value.message_dict["region"])
    assert not Meeting.objects.exists()


def test_a_meeting_in_the_future_is_refused(meeting_world):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            region=meeting_world["jinniu"],
            kind="推进会",
            held_on=meeting_world["today"] + datetime.timedelta(days=1),
        )
    assert "将来" in str(error.value.message_dict["held_on"])
    assert not Meeting.objects.exists()


def test_a_kind_outside_the_list_is_refused(meeting_world):
    with pytest.raises(ValidationError) as error:
        meeting_create(region=meeting_world["jinniu"], kind="茶话会", held_on=meeting_world["today"])
    assert "茶话会" in str(error.value.message_dict["kind"])


def test_a_meeting_at_a_grid_is_refused(meeting_world):
    with pytest.raises(ValidationError) as error:
        meeting_create(region=meeting_world["grid"], kind="推进会", held_on=meeting_world["today"])
    assert "region" in error.value.message_dict


def test_a_problem_raised_opens_a_dispute(meeting_world):
    meeting = meeting_create(
        region=meeting_world["jinniu"],
        kind="510圆桌议事会",
        held_on=meeting_world["today"],
        attendance=five_present(),
        problems=[ProblemInput(text="小区停车位分配引发居民矛盾", open_case="dispute")],
    )
    problem = meeting.problems.get()
    assert problem.dispute.subject == meeting_world["jinniu_village"]
    assert problem.dispute.reported_on == meeting_world["today"]


def test_a_problem_added_later_opens_a_hazard(meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    problem = meeting_problem_add(
        meeting=meeting,
        problem=ProblemInput(text="老旧小区燃气管道老化", open_case="hazard", hazard_category="燃气安全"),
        scope=scope_for(meeting_world["town_a"]),
    )
    assert Hazard.objects.get(pk=problem.hazard_id).category == "燃气安全"


def test_a_problem_whose_case_is_refused_writes_nothing(meeting_world):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            region=meeting_world["jinniu"],
            kind="推进会",
            held_on=meeting_world["today"],
            problems=[ProblemInput(text="井盖缺失", open_case="hazard", hazard_category="")],
        )
    assert "problems" in error.value.message_dict
    assert (
        not Meeting.objects.exists() and not MeetingProblem.objects.exists() and not Hazard.objects.exists()
    )


def test_a_case_at_a_subject_of_another_town_is_refused(meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    with pytest.raises(ValidationError):
        meeting_problem_add(
            meeting=meeting,
            problem=ProblemInput(text="越界", open_case="dispute", subject=meeting_world["factory"]),
            scope=scope_for(meeting_world["town_a"]),
        )
    assert not Dispute.objects.filter(summary="越界").exists()


def test_an_edit_with_a_stale_version_changes_nothing(meeting_world):
    from sanling.core.concurrency import StaleVersion

    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    meeting_update(meeting=meeting, version=1, minutes="议定三件事")
    with pytest.raises(StaleVersion):
        meeting_update(meeting=meeting, version=1, minutes="覆盖")
    meeting.refresh_from_db()
    assert meeting.minutes == "议定三件事"


def test_a_community_adopts_a_kind_once(meeting_world):
    with pytest.raises(ValidationError):
        meeting_adoption_create(
            region=meeting_world["jinniu"], kind="510圆桌议事会", since=meeting_world["today"]
        )


def test_an_attendee_holding_a_post_of_another_community_is_refused(meeting_world):
    from sanling.grids.services import post_create
    from sanling.meetings.services import meeting_attendee_add

    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    post = post_create(
        region=meeting_world["dongwan"],
        post_type="grid_leader",
        holder_name="东湾网格长",
        started_on=meeting_world["today"],
    )
    with pytest.raises(ValidationError) as error:
        meeting_attendee_add(
            meeting=meeting, attendee=AttendeeInput(category="grid_head", name="", post=post)
        )
    assert "岗位不属于本社区" in str(error.value.message_dict["attendance"])
    assert not Attendance.objects.exists()


def test_a_meeting_and_its_problems_are_audited_in_the_community(meeting_world):
    from sanling.audit.models import AuditEntry

    meeting = meeting_create(
        region=meeting_world["jinniu"],
        kind="推进会",
        held_on=meeting_world["today"],
        problems=[ProblemInput(text="路灯不亮")],
    )
    assert (
        AuditEntry.objects.get(object_type="meeting", object_key=meeting.ref).region_path
        == meeting_world["jinniu"].path
    )
    assert AuditEntry.objects.get(object_type="meetingproblem").region_path == meeting_world["jinniu"].path
