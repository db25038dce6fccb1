"""Key persons in both towns: ``person_a`` in 金牛社区 (沙北, town_a's and grid_a's area) with a full identity,
``person_b`` in 东湾村 (商桥, town_b's)."""

import datetime

import pytest

from sanling.keypeople.services import key_person_create

NAME = "欧阳建华"
ID_NUMBER = "110105198001011238"  # a valid 居民身份证号码
PHONE = "13912345678"
ADDRESS = "金牛社区幸福路八号院"
CLEAR = (NAME, ID_NUMBER, PHONE, ADDRESS)
REGISTERED = datetime.date(2025, 1, 6)


@pytest.fixture
def people(personas):
    world = dict(personas)
    world["person_a"] = key_person_create(
        actor=None,
        ref="KP-A",
        region=personas["jinniu"],
        category="mental_disorder",
        risk_level="medium",
        name=NAME,
        id_number=ID_NUMBER,
        phone=PHONE,
        address=ADDRESS,
        handler=personas["grid_a"],
        registered_on=REGISTERED,
    )
    world["person_b"] = key_person_create(
        actor=None,
        ref="KP-B",
        region=personas["dongwan"],
        category="community_correction",
        risk_level="high",
        name="东湾某某",
        id_number="110105199002024561",
        registered_on=REGISTERED,
    )
    return world


def png_bytes() -> bytes:
    """A 1×1 PNG."""
    import base64

    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
    )
