import datetime

import pytest

from sanling.regions.models import Level
from sanling.regions.services import region_create

APRIL = "2025-04"


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def score_world(casework):
    """On top of ``casework``: 沙北街道 has two more villages (三里桥村, 五里庙村) from March 2025; in April
    金牛社区 holds, 三里桥村 holds and 五里庙村 has a criminal case (沙北 villages 2/3 = 66.67%), 实验小学
    holds (沙北 units 1/1); 东湾村 has a criminal case (商桥 villages 0/1) and 东湾食品厂 holds (1/1)."""
    from sanling.events.services import event_create
    from sanling.subjects.services import subject_create

    world = dict(casework)
    day = datetime.date(2025, 3, 3)
    for code, name, subject_code in (
        ("411103001002", "三里桥村", "V3"),
        ("411103001003", "五里庙村", "V4"),
    ):
        region = region_create(code=code, name=name, level=Level.VILLAGE, parent=world["shabei"])
        world[subject_code] = subject_create(
            code=subject_code, name=name, kind="village", region=region, joined_on=day
        )
    for subject in (world["V4"], world["dongwan_village"]):
        event_create(
            subject=subject, type="criminal_case", occurred_on=datetime.date(2025, 4, 9), title="四月案件"
        )
    return world
