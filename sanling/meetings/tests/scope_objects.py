"""What the generated scope test (accounts/tests/test_scope_everywhere.py) opens of meetings: 商桥镇's records."""

import datetime

from django.utils import timezone


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for."""
    from sanling.meetings.services import ProblemInput, meeting_adoption_create, meeting_create

    # 东湾村 holds the 510 since two years ago and has missed it: its flags must stay out of 沙北's list.
    today = timezone.localdate()
    meeting_adoption_create(
        region=world["dongwan"], kind="510圆桌议事会", since=today.replace(year=today.year - 2, day=1)
    )

    meeting = meeting_create(
        region=world["dongwan"],
        kind="推进会",
        held_on=timezone.localdate() - datetime.timedelta(days=3),
        place="东湾村委会",
        minutes="东湾村推进会",
        problems=[ProblemInput(text="东湾村路灯不亮")],
    )
    return {"meeting_b": meeting}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None if
    ``name`` is not one of this app's."""
    if (name.startswith("meetings:") or name.startswith("api:meeting-")) and parameter == "ref":
        return world["meeting_b"].ref
    if name == "meetings:problem_open" and parameter == "pk":
        return world["meeting_b"].problems.get().pk
    return None
