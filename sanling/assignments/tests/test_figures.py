"""assignment_figures: given in a period to a region's organisations; done; overdue (open past the deadline, or
fed back after it)."""

import datetime

import pytest
from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.assignments.selectors import assignment_figures
from sanling.assignments.services import assignment_accept, assignment_feedback

from .conftest import give, photo

pytestmark = pytest.mark.django_db


def test_figures_count_given_done_and_overdue_in_the_region(jb):
    today = timezone.localdate()
    done = give(jb, days_ago=3, due_in=3)
    assignment_feedback(assignment=done, user=jb["town_b"], text="已处理", evidence=[photo()])
    assignment_accept(assignment=done, user=jb["admin_user"])
    give(jb, days_ago=3, due_in=-1)  # open past the deadline
    late_done = give(jb, days_ago=3, due_in=-2)
    assignment_feedback(
        assignment=late_done,
        user=jb["town_b"],
        text="已处理",
        evidence=[photo(filler=b"2")],
        late_reason="晚了",
    )
    assignment_accept(assignment=late_done, user=jb["admin_user"])
    give(jb, organisation="org_shabei", days_ago=3, due_in=3)  # 沙北's
    period = Period(start=today - datetime.timedelta(days=5), end=today, key="x", kind="month")
    shangqiao = assignment_figures(region=jb["shangqiao"], period=period)
    assert (shangqiao.total, shangqiao.done, shangqiao.overdue, shangqiao.open) == (3, 2, 2, 1)
    county = assignment_figures(region=jb["county"], period=period)
    assert (county.total, county.done, county.open) == (4, 2, 2)
    assert county.done_rate == 50.0


def test_figures_leave_out_assignments_given_outside_the_period(jb):
    give(jb, days_ago=40, due_in=-30)
    today = timezone.localdate()
    period = Period(start=today - datetime.timedelta(days=5), end=today, key="x", kind="month")
    assert assignment_figures(region=jb["county"], period=period).total == 0


def test_figures_of_a_department_are_its_offices_only(jb):
    give(jb, organisation="org_education")
    give(jb)
    today = timezone.localdate()
    period = Period(start=today - datetime.timedelta(days=5), end=today, key="x", kind="month")
    figures = assignment_figures(region=jb["county"], period=period, department=jb["education"])
    assert figures.total == 1
