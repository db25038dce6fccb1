"""The meetings of the demo: a 510 a month in one 龙塔 community for the last twelve months up to today, with
its five categories present and a problem that opened a dispute; a second community flagged for last month."""

import pytest
from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.meetings.demo import demo_load
from sanling.meetings.models import Meeting, MeetingProblem
from sanling.meetings.selectors import communities_missing
from sanling.regions.models import Level
from sanling.regions.services import region_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def longta(casework):
    town = region_create(code="411103003000", name="龙塔街道", level=Level.TOWN, parent=casework["county"])
    first = region_create(code="411103003001", name="塔东社区", level=Level.VILLAGE, parent=town)
    second = region_create(code="411103003002", name="塔西社区", level=Level.VILLAGE, parent=town)
    from sanling.subjects.services import subject_create

    subject_create(
        code="VTD",
        name="塔东社区",
        kind="community",
        region=first,
        joined_on=timezone.localdate().replace(year=2024),
    )
    return {"town": town, "first": first, "second": second}


def test_a_510_each_month_with_a_problem_that_opened_a_dispute(longta):
    today = timezone.localdate()
    demo_load(county=None, today=today)
    meetings = Meeting.objects.filter(region=longta["first"])
    assert meetings.count() == 12
    assert len({(meeting.held_on.year, meeting.held_on.month) for meeting in meetings}) == 12
    assert max(m.held_on for m in meetings) <= today
    assert MeetingProblem.objects.filter(meeting__region=longta["first"], dispute__isnull=False).count() == 1


def test_the_first_community_is_never_flagged_and_the_second_is_for_last_month(longta):
    today = timezone.localdate()
    demo_load(county=None, today=today)
    last = Period.month(today.year - (today.month == 1), (today.month - 2) % 12 + 1)
    missing = communities_missing(longta["town"], last, today=today)
    assert [row.region for row in missing] == [longta["second"]]
    year_missing = communities_missing(longta["first"], Period.of_year(today.year), today=today)
    assert year_missing == []


def test_the_grid_member_attends_by_the_post_the_grids_demo_filled(longta):
    from sanling.grids.services import post_create
    from sanling.meetings.models import Attendance

    today = timezone.localdate()
    grid = region_create(
        code="411103003001001", name="塔东社区第1网格", level=Level.GRID, parent=longta["first"]
    )
    post = post_create(
        region=grid,
        post_type="grid_member",
        holder_name="何网格员",
        started_on=today.replace(year=today.year - 2),
    )
    demo_load(county=None, today=today)
    rows = Attendance.objects.filter(meeting__region=longta["first"], category="grid_member")
    assert rows.count() == 12 and {row.post_id for row in rows} == {post.pk}
    assert {row.name for row in rows} == {"何网格员"}
