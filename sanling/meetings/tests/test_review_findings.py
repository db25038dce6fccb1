"""Defects found in the review of issue 15 (grid fieldwork), written as the behaviour that should hold.
Each test fails on main at the time of the review."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["meetings:list", "meetings:create"])
def test_the_place_column_and_field_are_in_chinese(client, meeting_world, name):
    """Review, after merging fieldwork (main 6880678): the meeting list's column and the meeting form's field
    read "Place": the catalogue keeps "Place" only with contexts "key people" and "grids"."""
    client.force_login(meeting_world["town_a"])
    content = client.get(reverse(name)).content.decode()
    assert ">Place<" not in content


def test_a_problem_recorded_with_the_meeting_can_open_a_case_later(client, meeting_world):
    """Review: the meeting form says 提出的问题（每行一个；在会议页面可据此立案）, but the meeting page lists those
    problems as plain text; only a *new* problem (problems/new/) can open a dispute or a hazard (issue 15
    item 6: each problem raised can open a case)."""
    from sanling.meetings.services import ProblemInput, meeting_create

    from .conftest import five_present

    meeting = meeting_create(
        region=meeting_world["jinniu"],
        kind="510圆桌议事会",
        held_on=meeting_world["today"],
        attendance=five_present(),
        problems=[ProblemInput(text="小区停车难")],
    )
    client.force_login(meeting_world["town_a"])
    content = client.get(reverse("meetings:meeting", kwargs={"ref": meeting.ref})).content.decode()
    section = content.split('id="meeting-problems"', 1)[1].split("</ul>", 1)[0]
    assert "<form" in section or "href=" in section
