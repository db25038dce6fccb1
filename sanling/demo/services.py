"""Loading the demo county through the same import path a real county's bundle takes.

The demo writes only where it may: never in production (``SANLING_ENV=production``), and otherwise on an
empty database or one it made itself. What it made is marked in the audit trail: everything it writes is
audited under the actor ``sanling-demo`` (its accounts included), and a ``demo.loaded`` entry marks the
database as a demo's. ``demo_foreign_data`` lists what else a database holds; the command refuses to write
over it unless the operator names the database.
"""

import csv
import dataclasses
import json
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sanling.accounts.models import Profile
from sanling.accounts.services import account_snapshot, password_policy_exempt
from sanling.audit.context import Actor, acting, command_actor
from sanling.audit.models import Action, AuditEntry, Source
from sanling.audit.services import Change, audit_change, audit_changes
from sanling.departments.models import Department
from sanling.exchange.importer import ImportResult, bundle_import
from sanling.exchange.schema import DEPARTMENTS, DISPUTES, EVENTS, REGIONS, SUBJECTS
from sanling.regions.models import Region, subtree_q
from sanling.regions.services import region_boundaries_load
from sanling.subjects.models import Subject

from .cases import demo_cases_load
from .county import CITY, COUNTY, PROVINCE, DemoCounty, build_demo_county
from .county import DEPARTMENTS as DEMO_DEPARTMENTS
from .fieldwork import demo_fieldwork_load
from .organisations import DEMO_HANDLERS, demo_memberships_set, demo_organisations_create
from .supervision import demo_supervision_load

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


DEMO_ACTOR = "sanling-demo"  # the actor of every audit entry the demo writes
DEMO_MARK = "demo.loaded"  # the verb of the entry that marks a database as the demo's


class DemoRefused(Exception):
    """The demo does not write to this database (production)."""


def _refuse_production() -> None:
    if settings.PRODUCTION:
        raise DemoRefused("生产环境（SANLING_ENV=production）不载入演示数据、不创建演示账号、不清空数据库。")


def _as_demo():
    """Write as the demo, naming who ran it in the operating system (their name is on the marker entry)."""
    return acting(Actor(name=DEMO_ACTOR, source=Source.CLI))


def demo_foreign_data() -> list[str]:
    """What this database holds that the demo did not make, in Chinese, one line per kind (empty: the
    demo may write here). Without the demo's marker anything counts; with it, accounts other than the
    demo's, regions outside the demo county, departments it does not have, and audit entries written by
    anyone but the demo and its accounts (sign-in attempts with no account aside)."""
    User = get_user_model()
    if not AuditEntry.objects.filter(verb=DEMO_MARK).exists():
        found = [
            (User.objects.count(), "个账号"),
            (Region.objects.count(), "个区划"),
            (Department.objects.count(), "个部门"),
            (Subject.objects.count(), "个创建主体"),
            (AuditEntry.objects.count(), "条审计日志"),
        ]
        return [f"{count} {what}（不是演示程序创建的）" for count, what in found if count]
    demo_names = [DEMO_ACTOR, *(user[0] for user in DEMO_USERS), *(user[0] for user in DEMO_HANDLERS)]
    county_path = f"/{PROVINCE[0]}/{CITY[0]}/{COUNTY[0]}/"
    found = [
        (User.objects.exclude(username__in=demo_names[1:]), "个非演示账号", "username"),
        (
            Region.objects.exclude(code__in=[PROVINCE[0], CITY[0]]).exclude(subtree_q(county_path)),
            "个演示县区以外的区划",
            "name",
        ),
        (
            Department.objects.exclude(code__in=[code for code, _name, _kinds in DEMO_DEPARTMENTS]),
            "个非演示部门",
            "name",
        ),
        (
            AuditEntry.objects.exclude(actor_name__in=demo_names).exclude(
                actor_id__isnull=True, source__in=[Source.WEB, Source.API]
            ),
            "条非演示程序写入的审计日志",
            "actor_name",
        ),
    ]
    lines = []
    for queryset, what, name in found:
        count = queryset.count()
        if count:
            examples = "、".join(
                sorted({str(value) for value in queryset.values_list(name, flat=True)[:20]})[:3]
            )
            lines.append(f"{count} {what}（如 {examples}）")
    return lines


def demo_mark() -> None:
    """Mark the database as the demo's (an audit entry), once."""
    _refuse_production()
    if AuditEntry.objects.filter(verb=DEMO_MARK).exists():
        return
    with _as_demo():
        audit_changes(
            [
                Change(
                    Action.CREATE,
                    "demo",
                    COUNTY[0],
                    note=f"演示数据（sanling demo，操作系统用户 {command_actor().name}）"[:200],
                    verb=DEMO_MARK,
                )
            ]
        )


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
    bundle and load its map and users, all audited as the demo's, and mark the database as the demo's.
    Its disputes are not in the bundle: they are cases, worked step by step through the services
    (``demo_cases_load``) by the organisations and handlers the demo creates."""
    _refuse_production()
    year = year or timezone.localdate().year - 1
    county = build_demo_county(seed, year)
    demo_bundle_write(folder=folder, county=dataclasses.replace(county, disputes=[]))
    demo_mark()
    with _as_demo():
        result = bundle_import(folder)
        region_boundaries_load(feature_collection=county.geojson)
    demo_users_create()
    demo_handlers_create()
    with _as_demo():
        demo_cases_load(county=county, year=year, today=timezone.localdate())
        demo_fieldwork_load(county=county, today=timezone.localdate())
        demo_supervision_load(county=county, today=timezone.localdate())
    return result


@transaction.atomic
def demo_users_create() -> list[tuple[str, str, str]]:
    """The demo accounts (password ``sanling-demo``), each creation or change audited like any account's
    (the password only as changed, never its value); a rerun that finds them as they were writes nothing.
    Returns (login, name, description) for printing."""
    return _demo_accounts_create(DEMO_USERS)


@transaction.atomic
def demo_handlers_create() -> list[tuple[str, str, str]]:
    """The demo county's organisations (those still missing) and the handlers who work its cases, each a
    member of their organisation, made like the other demo accounts. Only where the demo county stands: a
    handler whose region is not there is not made. Returns (login, name, description) for printing."""
    _refuse_production()
    if not Region.objects.filter(code=COUNTY[0]).exists():
        return []
    with _as_demo():
        demo_organisations_create()
    present = set(
        Region.objects.filter(code__in=[h[3] for h in DEMO_HANDLERS]).values_list("code", flat=True)
    )
    printed = _demo_accounts_create(
        [
            (login, name, role, region, None, text)
            for login, name, role, region, _org, text in DEMO_HANDLERS
            if region in present
        ]
    )
    with _as_demo():
        demo_memberships_set()
    return printed


def _demo_accounts_create(accounts) -> list[tuple[str, str, str]]:
    _refuse_production()
    User = get_user_model()
    printed = []
    with _as_demo():
        for username, name, role, region_code, department_code, description in accounts:
            user = User.objects.filter(username=username).first()
            before = _account_snapshot(user) if user is not None else None
            user = user or User(username=username)
            user.first_name = name
            user.is_staff = user.is_superuser = role is None
            new_password = before is None or not user.check_password(DEMO_PASSWORD)
            if new_password:
                user.set_password(DEMO_PASSWORD)
            user.save()
            password_policy_exempt(user=user)  # the demo logins keep working with the published password
            profile = None
            if role is not None:
                profile, _created = Profile.objects.update_or_create(
                    user=user,
                    defaults={
                        "role": role,
                        "region": Region.objects.filter(code=region_code).first() if region_code else None,
                        "department": Department.objects.filter(code=department_code).first()
                        if department_code
                        else None,
                    },
                )
            audit_change(
                Action.CREATE if before is None else Action.UPDATE,
                before=before,
                after=_account_snapshot(user) | ({"password": "******"} if new_password else {}),
                instance=profile or user,
            )
            printed.append((username, name, description))
    return printed


def _account_snapshot(user) -> dict:
    return account_snapshot(user) | {"is_superuser": user.is_superuser}
