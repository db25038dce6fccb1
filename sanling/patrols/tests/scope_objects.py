"""What the generated scope test (accounts/tests/test_scope_everywhere.py) opens of patrols: 商桥镇's records."""

import datetime

from django.utils import timezone


def world_b(world: dict) -> dict:
    """Records of 商桥镇 (town B) for the 沙北 operator and the education bureau's user to look for."""
    from sanling.patrols.services import patrol_log_create, patrol_shift_create, patrol_team_create

    team = patrol_team_create(region=world["dongwan"], name="东湾村守护巡逻队", kind="guard", member_count=6)
    shift = patrol_shift_create(team=team, name="夜班", starts_at=datetime.time(20), ends_at=datetime.time(8))
    started = timezone.now() - datetime.timedelta(days=1)
    log = patrol_log_create(
        team=team,
        shift=shift,
        region=world["dongwan"],
        started_at=started,
        ended_at=started + datetime.timedelta(hours=2),
        route="东湾村主干道",
        defence_type="人防",
        residents_contacted=12,
    )
    return {"patrol_team_b": team, "patrol_log_b": log}


def object_for(name: str, parameter: str, world: dict, town_b: bool):
    """The value of URL parameter ``parameter`` of URL ``name`` pointing at a 商桥 record, or None if
    ``name`` is not one of this app's."""
    if name.startswith("patrols:") or name.startswith("api:patrol-detail"):
        if parameter == "pk":
            return world["patrol_team_b"].pk
        if parameter == "ref":
            return world["patrol_log_b"].ref
    if name.startswith("api:patrol-team") and parameter == "pk":
        return world["patrol_team_b"].pk
    return None
