"""Shared fixtures: a small county tree that tests across apps build on."""

import csv
import datetime
from pathlib import Path

import pytest

from sanling.departments.models import Department
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.models import Subject

VALID_USCC = "91411100MA3X4Y5Q64"


@pytest.fixture
def county(db):
    """河南省 > 漯河市 > 郾城区 with two towns, a village in each and a grid in the first village."""
    province = region_create(code="410000000000", name="河南省", level=Level.PROVINCE)
    city = region_create(code="411100000000", name="漯河市", level=Level.CITY, parent=province)
    county = region_create(code="411103000000", name="郾城区", level=Level.COUNTY, parent=city)
    shabei = region_create(code="411103001000", name="沙北街道", level=Level.TOWN, parent=county)
    shangqiao = region_create(code="411103100000", name="商桥镇", level=Level.TOWN, parent=county)
    jinniu = region_create(code="411103001001", name="金牛社区", level=Level.VILLAGE, parent=shabei)
    dongwan = region_create(code="411103100201", name="东湾村", level=Level.VILLAGE, parent=shangqiao)
    grid = region_create(code="411103001001001", name="金牛社区第一网格", level=Level.GRID, parent=jinniu)
    return {
        "province": province,
        "city": city,
        "county": county,
        "shabei": shabei,
        "shangqiao": shangqiao,
        "jinniu": jinniu,
        "dongwan": dongwan,
        "grid": grid,
    }


@pytest.fixture
def education(db):
    return Department.objects.create(code="JY", name="区教育局")


@pytest.fixture
def school(county, education):
    return Subject.objects.create(
        code="U0001",
        name="郾城区实验小学",
        kind="institution",
        category="school",
        region=county["jinniu"],
        department=education,
        joined_on=datetime.date(2021, 1, 1),
    )


def write_csv(folder: Path, name: str, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with path.open("w", newline="", encoding=encoding) as file:
        csv.writer(file).writerows(rows)
    return path
