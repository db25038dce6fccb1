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


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is deliberately slow; tests create many accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def audit_key():
    # The test run's audit key file exists before any test turns production on (where none is made up).
    from sanling.audit.keys import signing_key

    signing_key()


@pytest.fixture(autouse=True)
def empty_cache():
    # Rate limits live in the cache; one test's attempts must not count against the next.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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


@pytest.fixture
def personas(county, education, db):
    """Users of each role, and subjects, events and disputes in both towns, for scope tests.

    town_a works in 沙北街道 (金牛社区 and its grid), town_b in 商桥镇 (东湾村); dept is the education bureau,
    which supervises the school in 沙北 but not the factory in 商桥.
    """
    from django.contrib.auth import get_user_model

    from sanling.accounts.models import Profile
    from sanling.disputes.services import dispute_create
    from sanling.events.services import event_create
    from sanling.subjects.services import subject_create

    safety = Department.objects.create(code="YJ", name="区应急管理局")
    day = datetime.date(2025, 3, 3)
    world = {
        "jinniu_village": subject_create(
            code="V1", name="金牛社区", kind="community", region=county["jinniu"], joined_on=day
        ),
        "dongwan_village": subject_create(
            code="V2", name="东湾村", kind="village", region=county["dongwan"], joined_on=day
        ),
        "school": subject_create(
            code="U1",
            name="实验小学",
            kind="institution",
            category="school",
            region=county["grid"],
            department=education,
            joined_on=day,
        ),
        "factory": subject_create(
            code="U2",
            name="东湾食品厂",
            kind="enterprise",
            category="factory_mine",
            region=county["dongwan"],
            department=safety,
            joined_on=day,
        ),
    }
    world["event_a"] = event_create(
        subject=world["jinniu_village"], type="criminal_case", occurred_on=day, title="金牛盗窃案"
    )
    world["event_b"] = event_create(
        subject=world["factory"],
        type="accident",
        accident_grade="general",
        occurred_on=day,
        title="东湾机械伤害",
    )
    world["dispute_a"] = dispute_create(
        subject=world["jinniu_village"], reported_on=day, summary="金牛邻里纠纷"
    )
    world["dispute_b"] = dispute_create(
        subject=world["dongwan_village"], reported_on=day, summary="东湾土地纠纷"
    )
    User = get_user_model()
    for name, role, region, department in (
        ("admin_user", "county_admin", county["county"], None),
        ("town_a", "town_operator", county["shabei"], None),
        ("town_b", "town_operator", county["shangqiao"], None),
        ("grid_a", "grid_worker", county["jinniu"], None),
        ("dept", "department_user", None, education),
        ("viewer", "viewer", county["county"], None),
        ("auditor", "auditor", county["county"], None),
        ("auditor_b", "auditor", county["shangqiao"], None),
    ):
        user = User.objects.create_user(username=name, password="pw-secret-123")
        Profile.objects.create(user=user, role=role, region=region, department=department)
        world[name] = user
    return {**county, **world, "education": education, "safety": safety}


@pytest.fixture
def api_as(db):
    """``api_as(user)``: an API client that calls with a fresh token of ``user``."""
    from rest_framework.test import APIClient

    from sanling.accounts.services import api_token_create

    def client_for(user) -> APIClient:
        _token, key = api_token_create(user=user, name="test", expires_at=None)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return client_for


@pytest.fixture
def duty_holders(personas):
    """The three duties kept apart (三权分立) on top of ``personas``: ``sysadmin`` (系统管理员, the county),
    ``secadmin`` (安全管理员, the county) and ``secadmin_a`` (安全管理员 of 沙北街道 only); the auditors
    are ``personas``' own."""
    from django.contrib.auth import get_user_model

    from sanling.accounts.models import Profile

    holders = {}
    for name, role, region in (
        ("sysadmin", "system_admin", personas["county"]),
        ("secadmin", "security_admin", personas["county"]),
        ("secadmin_a", "security_admin", personas["shabei"]),
    ):
        user = get_user_model().objects.create_user(username=name, password="pw-secret-123")
        Profile.objects.create(user=user, role=role, region=region)
        holders[name] = user
    return {**personas, **holders}


@pytest.fixture
def casework(personas):
    """Organisations of the 三级过滤网 on top of ``personas``: each village's 调委会, each town's 矛调中心,
    the county's 矛调中心 and 信访局, and the education bureau's office, with the personas as members
    (grid_a: 金牛 调委会; town_a: 沙北 矛调中心 (its head); town_b: 商桥 矛调中心; admin_user: the county's
    two; dept: the bureau's)."""
    from sanling.organisations.services import organisation_create

    specs = (
        ("org_jinniu", "JN-TWH", "金牛社区人民调解委员会", "mediation_committee", "jinniu", ["grid_a"], None),
        ("org_dongwan", "DW-TWH", "东湾村人民调解委员会", "mediation_committee", "dongwan", [], None),
        ("org_shabei", "SB-MTZX", "沙北街道矛调中心", "mediation_centre", "shabei", ["town_a"], "town_a"),
        ("org_shangqiao", "SQ-MTZX", "商桥镇矛调中心", "mediation_centre", "shangqiao", ["town_b"], "town_b"),
        ("org_county", "YC-MTZX", "郾城区矛调中心", "mediation_centre", "county", ["admin_user"], None),
        ("org_petition", "YC-XFJ", "郾城区信访局", "petition_office", "county", ["admin_user"], "admin_user"),
    )
    world = dict(personas)
    for key, code, name, kind, region, members, head in specs:
        world[key] = organisation_create(
            code=code,
            name=name,
            kind=kind,
            region=personas[region],
            members=[personas[m] for m in members],
            head=personas[head] if head else None,
        )
    world["org_education"] = organisation_create(
        code="JY-OFFICE",
        name="区教育局",
        kind="department",
        region=personas["county"],
        department=personas["education"],
        members=[personas["dept"]],
    )
    return world
