import datetime

import pytest
from django.utils import timezone


@pytest.fixture
def patrol_world(casework):
    """The 沙北 "守护" team of 金牛社区 with its day and night shifts (on top of ``casework``)."""
    from sanling.patrols.services import patrol_shift_create, patrol_team_create

    world = dict(casework)
    team = patrol_team_create(
        region=world["jinniu"],
        name="金牛社区“守护”治安巡逻队",
        kind="guard",
        members="社区民警、辅警、警务助理、社区干部、网格员及热心群众",
        member_count=12,
    )
    world["team"] = team
    world["day"] = patrol_shift_create(
        team=team, name="白班", starts_at=datetime.time(8), ends_at=datetime.time(20)
    )
    world["night"] = patrol_shift_create(
        team=team, name="夜班", starts_at=datetime.time(20), ends_at=datetime.time(8)
    )
    world["yesterday"] = timezone.localtime().replace(
        hour=9, minute=0, second=0, microsecond=0
    ) - datetime.timedelta(days=1)
    return world


def log_arguments(world, **overrides) -> dict:
    started = world["yesterday"]
    arguments = {
        "team": world["team"],
        "shift": world["day"],
        "region": world["grid"],
        "started_at": started,
        "ended_at": started + datetime.timedelta(hours=2),
        "route": "金牛社区一网格沿街",
        "defence_type": "人防",
        "participants": 3,
        "residents_contacted": 25,
        "findings": "",
    }
    arguments.update(overrides)
    return arguments
