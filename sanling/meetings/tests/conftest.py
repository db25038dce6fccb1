import datetime

import pytest
from django.utils import timezone

FIVE = {
    "party_member": "王党员",
    "resident": "李居民",
    "grid_member": "张网格员",
    "grid_head": "赵网格长",
    "street_cadre": "刘干部",
}


def five_present():
    """The 510's "5": "党员代表、居民代表、网格员、网格长和街道干部", one of each present."""
    from sanling.meetings.services import AttendeeInput

    return [AttendeeInput(category=category, name=name) for category, name in FIVE.items()]


@pytest.fixture
def meeting_world(casework):
    """金牛社区 adopted the 510 at the start of last year (on top of ``casework``)."""
    from sanling.meetings.services import meeting_adoption_create

    world = dict(casework)
    today = timezone.localdate()
    world["today"] = today
    world["adoption"] = meeting_adoption_create(
        region=world["jinniu"], kind="510圆桌议事会", since=datetime.date(today.year - 1, 1, 1)
    )
    return world
