"""The meeting pages: the list flags the communities that missed their monthly meeting; the record form
takes the attendance by category and keeps what was typed when refused; a problem opens a case."""

import datetime

import pytest
from django.urls import reverse

from sanling.meetings.models import Meeting
from sanling.meetings.services import meeting_create

from .conftest import FIVE, five_present

pytestmark = pytest.mark.django_db


def form_data(world, **overrides) -> dict:
    data = {
        "region": world["jinniu"].code,
        "kind": "510圆桌议事会",
        "held_on": world["today"].isoformat(),
        "place": "金牛社区议事厅",
        "minutes": "议定：加装路灯",
        **{f"attend_{category}": name for category, name in FIVE.items()},
        "absent": "",
        "problems": "路灯不亮\n垃圾清运不及时",
    }
    data.update(overrides)
    return data


def test_a_510_is_recorded_from_the_form(client, meeting_world):
    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:create"), form_data(meeting_world, attend_resident="李居民、孙居民")
    )
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meetings:meeting", kwargs={"ref": meeting.ref})
    assert meeting.attendance.filter(category="resident").count() == 2
    assert list(meeting.problems.values_list("text", flat=True)) == ["路灯不亮", "垃圾清运不及时"]


def test_a_510_missing_a_category_keeps_what_was_typed(client, meeting_world):
    client.force_login(meeting_world["town_a"])
    response = client.post(reverse("meetings:create"), form_data(meeting_world, attend_street_cadre=""))
    content = response.content.decode()
    assert "此类会议须有以下人员出席" in content and "街道（乡镇）干部" in content
    assert "金牛社区议事厅" in content and "王党员" in content
    assert not Meeting.objects.exists()


def test_an_absentee_is_recorded_as_absent(client, meeting_world):
    client.force_login(meeting_world["town_a"])
    client.post(reverse("meetings:create"), form_data(meeting_world, absent="居民代表: 周居民"))
    assert Meeting.objects.get().attendance.get(name="周居民").present is False


def test_the_list_flags_the_months_without_a_510(client, meeting_world):
    year = meeting_world["today"].year - 1
    meeting_create(
        region=meeting_world["jinniu"],
        kind="510圆桌议事会",
        held_on=datetime.date(year, 6, 6),
        attendance=five_present(),
    )
    client.force_login(meeting_world["town_a"])
    content = client.get(reverse("meetings:list"), {"period": str(year)}).content.decode()
    assert 'id="meetings-missing"' in content
    assert (
        f"{year}-05" in content
        and f"{year}-06" not in content.split('id="meetings-missing"')[1].split("</div>")[0]
    )


def test_a_problem_added_on_the_meeting_page_opens_a_dispute(client, meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:problem_add", kwargs={"ref": meeting.ref}),
        {
            "text": "邻里漏水纠纷",
            "open_case": "dispute",
            "case_subject": "",
            "hazard_category": "",
            "hazard_level": "",
        },
    )
    assert response.status_code == 302
    problem = meeting.problems.get()
    assert problem.dispute.summary == "邻里漏水纠纷"
    assert (
        problem.dispute.ref
        in client.get(reverse("meetings:meeting", kwargs={"ref": meeting.ref})).content.decode()
    )


def test_a_refused_problem_is_said_in_chinese(client, meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:problem_add", kwargs={"ref": meeting.ref}),
        {"text": "井盖缺失", "open_case": "hazard", "hazard_category": ""},
    )
    assert response.status_code == 400
    assert "隐患" in response.content.decode()
    assert not meeting.problems.exists()


def test_the_minutes_are_edited_with_the_version(client, meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    client.force_login(meeting_world["town_a"])
    url = reverse("meetings:edit", kwargs={"ref": meeting.ref})
    data = {
        "held_on": meeting_world["today"].isoformat(),
        "place": "会议室",
        "minutes": "新纪要",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    assert "他人已修改" in client.post(url, {**data, "minutes": "再改"}).content.decode()
    meeting.refresh_from_db()
    assert (meeting.minutes, meeting.version) == ("新纪要", 2)


def test_a_viewer_may_not_record_a_meeting(client, meeting_world):
    client.force_login(meeting_world["viewer"])
    assert client.get(reverse("meetings:create")).status_code == 403


def test_the_list_reads_a_bounded_number_of_queries(client, meeting_world, django_assert_max_num_queries):
    year = meeting_world["today"].year - 1
    for month in range(1, 7):
        meeting_create(
            region=meeting_world["jinniu"],
            kind="510圆桌议事会",
            held_on=datetime.date(year, month, 8),
            attendance=five_present(),
        )
    client.force_login(meeting_world["town_a"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("meetings:list"), {"period": str(year)}).status_code == 200


def test_a_community_takes_up_the_510_on_the_rules_page(client, meeting_world):
    from sanling.meetings.models import MeetingAdoption
    from sanling.regions.models import Level
    from sanling.regions.services import region_create

    second = region_create(
        code="411103001002", name="银牛社区", level=Level.VILLAGE, parent=meeting_world["shabei"]
    )
    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:adoptions"),
        {"region": second.code, "kind": "510圆桌议事会", "since": meeting_world["today"].isoformat()},
    )
    assert response.status_code == 302
    assert MeetingAdoption.objects.filter(region=second, kind="510圆桌议事会").exists()
    content = client.get(reverse("meetings:adoptions")).content.decode()
    assert "银牛社区" in content and "党员代表、居民代表、网格员、网格长、街道（乡镇）干部" in content


def test_a_community_of_another_town_cannot_take_up_a_kind(client, meeting_world):
    from sanling.meetings.models import MeetingAdoption

    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:adoptions"),
        {
            "region": meeting_world["dongwan"].code,
            "kind": "510圆桌议事会",
            "since": meeting_world["today"].isoformat(),
        },
    )
    assert response.status_code == 400
    assert "您的辖区内没有此代码的区域" in response.content.decode()
    assert not MeetingAdoption.objects.filter(region=meeting_world["dongwan"]).exists()


def _post(world, region, holder):
    from sanling.grids.services import post_create

    return post_create(
        region=region,
        post_type="grid_member",
        holder_name=holder,
        started_on=world["today"] - datetime.timedelta(days=30),
    )


def test_an_attendee_is_added_by_the_post_they_hold(client, meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    post = _post(meeting_world, meeting_world["grid"], "钱网格员")
    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:attendee_add", kwargs={"ref": meeting.ref}),
        {"category": "grid_member", "post": post.pk, "name": "", "present": "on"},
    )
    assert response.status_code == 302
    row = meeting.attendance.get()
    assert (row.name, row.post, row.present) == ("钱网格员", post, True)


def test_a_post_of_another_community_is_not_offered(client, meeting_world):
    meeting = meeting_create(region=meeting_world["jinniu"], kind="推进会", held_on=meeting_world["today"])
    post = _post(meeting_world, meeting_world["dongwan"], "东湾网格员")
    client.force_login(meeting_world["town_a"])
    response = client.post(
        reverse("meetings:attendee_add", kwargs={"ref": meeting.ref}),
        {"category": "grid_member", "post": post.pk, "name": ""},
    )
    assert response.status_code == 400
    assert not meeting.attendance.exists()
    assert "东湾网格员" not in response.content.decode()


def test_a_problem_recorded_with_the_meeting_opens_a_hazard_from_the_meeting_page(client, meeting_world):
    """Issue 15 item 6: each problem raised can open a case — also one written on the meeting form."""
    from sanling.meetings.services import ProblemInput, meeting_create

    from .conftest import five_present

    meeting = meeting_create(
        region=meeting_world["jinniu"],
        kind="510圆桌议事会",
        held_on=meeting_world["today"],
        attendance=five_present(),
        problems=[ProblemInput(text="楼道堆放杂物")],
    )
    problem = meeting.problems.get()
    client.force_login(meeting_world["town_a"])
    answer = client.post(
        reverse("meetings:problem_open", kwargs={"ref": meeting.ref, "pk": problem.pk}),
        {"open_case": "hazard", "hazard_category": "消防安全", "hazard_level": "general"},
    )
    assert answer.status_code == 302
    problem.refresh_from_db()
    assert problem.hazard is not None and problem.hazard.description == "楼道堆放杂物"
    again = client.post(
        reverse("meetings:problem_open", kwargs={"ref": meeting.ref, "pk": problem.pk}),
        {"open_case": "dispute"},
    )
    assert again.status_code == 400
    problem.refresh_from_db()
    assert problem.dispute is None


def test_a_department_user_gets_no_meeting_or_adoption_form(client, meeting_world):
    """Review of issue 15: meetings are a community's records; the department user saw 登记会议 (leading to
    403) and an adoption form listing every community (its POST refused)."""
    client.force_login(meeting_world["dept"])
    assert 'id="meeting-new"' not in client.get(reverse("meetings:list")).content.decode()
    assert 'id="adoption-form"' not in client.get(reverse("meetings:adoptions")).content.decode()
    assert client.get(reverse("meetings:create")).status_code == 403
