"""Loading the demo county through the same import path a real county's bundle takes."""

import csv
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sanling.accounts.models import Profile
from sanling.departments.models import Department
from sanling.exchange.importer import ImportResult, bundle_import
from sanling.exchange.schema import DEPARTMENTS, DISPUTES, EVENTS, REGIONS, SUBJECTS
from sanling.regions.models import Region
from sanling.regions.services import region_boundaries_load

from .county import DemoCounty, build_demo_county

DEMO_PASSWORD = "sanling-demo"
# (login, name, role, region code, department code, description): one account for each role.
DEMO_USERS = [
    ("admin", "超级管理员", None, None, None, "超级管理员：应急账号，含 /admin/，登录记入审计"),
    ("sysadmin", "区信息中心", "system_admin", "411103000000", None, "系统管理员：账号、重置密码、字典"),
    ("security", "区保密办", "security_admin", "411103000000", None, "安全管理员：授予角色和管辖范围"),
    ("county", "区平安办", "county_admin", "411103000000", None, "县级管理员：全区业务数据，导入"),
    ("shabei", "沙北街道综治中心", "town_operator", "411103001000", None, "乡镇操作员：沙北街道"),
    ("grid", "网格员小王", "grid_worker", "411103001001", None, "村/网格员：沙北街道第一个社区，手机上报"),
    ("jiaoyu", "区教育局", "department_user", None, "JYJ", "行业部门：全区学校和幼儿园"),
    ("leader", "区委领导", "viewer", "411103000000", None, "领导查看：全区，只读"),
    ("audit", "区纪委审计", "auditor", "411103000000", None, "审计员：全区审计日志"),
]


def demo_bundle_write(*, folder: Path, county: DemoCounty) -> Path:
    """Write the demo county as a data exchange bundle plus its GeoJSON map."""
    folder.mkdir(parents=True, exist_ok=True)
    for spec, rows in (
        (REGIONS, county.regions),
        (DEPARTMENTS, county.departments),
        (SUBJECTS, county.subjects),
        (EVENTS, county.events),
        (DISPUTES, county.disputes),
    ):
        with (folder / spec.filename).open("w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file, lineterminator="\n")
            writer.writerow([column.key for column in spec.columns])
            writer.writerows(rows)
    (folder / "map.geojson").write_text(json.dumps(county.geojson, ensure_ascii=False), encoding="utf-8")
    return folder


@transaction.atomic
def demo_load(*, folder: Path, seed: int = 2022, year: int | None = None) -> ImportResult:
    """Build the demo county with a year of events (the last full year by default), import it as a
    bundle and load its map and users."""
    county = build_demo_county(seed, year or timezone.localdate().year - 1)
    demo_bundle_write(folder=folder, county=county)
    result = bundle_import(folder)
    region_boundaries_load(feature_collection=county.geojson)
    demo_users_create()
    return result


def demo_users_create() -> list[tuple[str, str, str]]:
    """The demo accounts (password ``sanling-demo``); returns (login, name, description) for printing."""
    User = get_user_model()
    printed = []
    for username, name, role, region_code, department_code, description in DEMO_USERS:
        user, _created = User.objects.get_or_create(username=username, defaults={"first_name": name})
        user.first_name = name
        user.is_staff = user.is_superuser = role is None
        user.set_password(DEMO_PASSWORD)
        user.save()
        if role is not None:
            Profile.objects.update_or_create(
                user=user,
                defaults={
                    "role": role,
                    "region": Region.objects.filter(code=region_code).first() if region_code else None,
                    "department": Department.objects.filter(code=department_code).first()
                    if department_code
                    else None,
                },
            )
        printed.append((username, name, description))
    return printed
