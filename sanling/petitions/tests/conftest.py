"""Petitions in both towns for the page tests: 沙北 (town_a's) and 商桥 (town_b's, outside town_a's scope)."""

import datetime

import pytest

from sanling.petitions.services import agency_create, petition_create

DAY = datetime.date(2025, 3, 3)
NAME = "欧阳明远"
ID_NUMBER = "11010519491231002X"  # a valid 居民身份证号码 (check character X)
PHONE = "13812345678"


@pytest.fixture
def petitions(casework):
    """``petition_a``: a town petition of 金牛社区 (沙北), received 2025-03-03 with the petitioner's identity,
    never accepted (so overdue today); ``petition_b``: one of 东湾村 (商桥); ``agency_a``/``agency_b`` the
    same for 信访代理."""
    world = dict(casework)
    world["petition_a"] = petition_create(
        subject=casework["jinniu_village"],
        received_on=DAY,
        level="town",
        channel="visit",
        visit_mode="open_door",
        summary="金牛小区物业纠纷",
        petitioner_name=NAME,
        petitioner_id_number=ID_NUMBER,
        petitioner_phone=PHONE,
    )
    world["petition_b"] = petition_create(
        subject=casework["dongwan_village"],
        received_on=DAY,
        level="town",
        channel="letter",
        summary="东湾征地补偿",
    )
    world["agency_a"] = agency_create(
        subject=casework["jinniu_village"], applied_on=DAY, summary="金牛退役军人安置", applicant_name=NAME
    )
    world["agency_b"] = agency_create(
        subject=casework["dongwan_village"], applied_on=DAY, summary="东湾养老保险代理"
    )
    return world
