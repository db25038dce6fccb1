"""The demo county's hazards (called by ``sanling.demo.fieldwork``): a year (up to ``today``) of inspections
and the hazards they found, written through the services as the people who took each step.

Most hazards were rectified and passed their 复查; some are overdue today; a few are 重大. 沙北街道's first
community (the demo grid worker 网格员小王's) has its own: some he is rectifying, and some the 沙北 centre asked
to have re-checked, which he re-checks on his phone (a 复查 is never by whoever asked for it)."""

import datetime
import hashlib
import random
import struct
import zlib

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from sanling.audit.context import Actor, acting, current_actor
from sanling.audit.models import Source
from sanling.subjects.models import Subject

from .models import ChecklistItem
from .services import hazard_recheck, hazard_register, hazard_request_recheck, inspection_create

# A 1×1 PNG: the demo's photo of each fix (stored once, by its hash).
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)
INSPECTIONS = 90  # across the county in the year
GRID_COMMUNITY = "411103001001"  # 沙北街道's first community, the demo grid worker's
# inspection type -> (hazard category, findings)
FINDINGS = {
    "四查": ("安全生产", ["安全生产责任制未上墙", "隐患排查台账记录不全", "特种作业人员证件过期"]),
    "汛期": ("防汛", ["作业区域排水沟淤堵", "低洼地段未备防汛沙袋", "检修井盖缺失"]),
    "校园周边": ("校园安全", ["校门口无减速带", "周边流动摊贩食品无证", "护学岗人员不到位"]),
    "危险水域": ("溺水防范", ["坑塘警示牌缺失", "救生圈损坏", "护栏断裂"]),
    "消防": ("消防安全", ["消防通道被杂物堵塞", "灭火器过期", "电动车楼道充电"]),
    "燃气": ("燃气安全", ["燃气软管老化", "未安装燃气报警器", "液化气瓶存放在地下室"]),
}


def _png(seed: str) -> bytes:
    """A tiny generated PNG (2×2, its colour from ``seed``): each step's photo its own file, since the same
    content attached to a case twice is stored once (the 复查通过 photo must be the re-check's own)."""
    digest = hashlib.sha256(seed.encode()).digest()
    rows = b"".join(b"\x00" + digest[:3] * 2 for _ in range(2))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _photo(seed: str = "") -> SimpleUploadedFile:
    content = _png(seed) if seed else PNG
    return SimpleUploadedFile("整改照片.png", content, content_type="image/png")


def _as(user):
    return acting(
        Actor(user=user, name=getattr(user, "username", ""), source=current_actor().source or Source.CLI)
    )


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    from sanling.regions.models import Region

    root = Region.objects.filter(code="411103000000").first()
    if root is None:
        return
    rng = random.Random(15)
    users = {user.username: user for user in get_user_model().objects.filter(username__in=["grid", "shabei"])}
    subjects = list(
        Subject.objects.filter(region__path__startswith=root.path, retired_on__isnull=True)
        .select_related("region")
        .order_by("code")
    )
    if not subjects:
        return
    items = {}
    for item in ChecklistItem.objects.filter(enabled=True).order_by("order"):
        items.setdefault(item.inspection_type, []).append(item)
    types = [kind for kind in FINDINGS if kind in items]
    community = Region.objects.filter(code=GRID_COMMUNITY).first()
    home = [subject for subject in subjects if community and subject.region.path.startswith(community.path)]
    # His own grid (the grids demo gives him a post there): the community's own hazards are found in it, and
    # its units' come first, so his day's re-checks are his grid's.
    from sanling.grids.selectors import grid_regions_of_user

    own = (
        [r for r in grid_regions_of_user(users["grid"], on=today) if r.level == "grid"]
        if "grid" in users
        else []
    )
    home_grid = own[0] if own else None
    if home_grid is not None:
        home.sort(
            key=lambda subject: (
                not (subject.region == community or subject.region.path.startswith(home_grid.path))
            )
        )
    chosen = [rng.choice(subjects) for _ in range(INSPECTIONS)]
    plans = [(subject, today - datetime.timedelta(days=rng.randint(1, 360))) for subject in chosen]
    # The grid worker's community: recent inspections, so his day has work in it.
    for subject in home[:4] or subjects[:4]:
        plans.append((subject, today - datetime.timedelta(days=rng.randint(2, 20))))
    for subject, day in sorted(plans, key=lambda plan: plan[1]):
        day = max(day, subject.joined_on)
        if day > today:
            continue
        kind = rng.choice(types)
        category, findings = FINDINGS[kind]
        failed = rng.sample(range(len(items[kind])), k=min(len(items[kind]), rng.choice((0, 1, 1, 1, 2))))
        inspection = inspection_create(
            subject=subject,
            inspected_on=day,
            inspection_type=kind,
            by_kind=rng.choice(("town", "town", "department", "unit")) if subject.department_id else "town",
            department=subject.department if subject.department_id else None,
            grid=home_grid
            if home_grid is not None and subject.region == community
            else subject.region
            if subject.region.level == "grid"
            else None,
            results=[{"item": item, "passed": index not in failed} for index, item in enumerate(items[kind])],
            inspector=None,
        )
        for _index in failed:
            level = "major" if rng.random() < 0.06 else "general"
            hazard = hazard_register(
                subject=subject,
                found_on=day,
                category=category,
                level=level,
                description=rng.choice(findings),
                grid=inspection.grid,
                inspection=inspection,
                owner_person=rng.choice(("单位负责人", "安全员", "物业经理", "村委会主任")),
            )
            _work(hazard, rng=rng, today=today, users=users, home=subject in home)


def _work(hazard, *, rng: random.Random, today: datetime.date, users: dict, home: bool) -> None:
    """Take the hazard through 整改 and 复查 as far as its age allows: most pass, some stay overdue."""
    due = hazard.case.due_on
    age = (today - hazard.found_on).days
    if home and age <= 20:
        # In the grid worker's community: the centre asks for a 复查 he does, or he is rectifying.
        if rng.random() < 0.6 and "shabei" in users:
            with _as(users["shabei"]):
                hazard_request_recheck(
                    hazard=hazard,
                    on=min(today, hazard.found_on + datetime.timedelta(days=1)),
                    photos=[_photo()],
                )
        return
    if age < 10:
        return  # just found: 整改中
    fate = rng.random()
    if due < today and fate < 0.12:
        return  # overdue today
    requested = min(today, hazard.found_on + datetime.timedelta(days=rng.randint(3, max(3, min(age, 40)))))
    rectifier = users.get("grid") if home else None
    # 沙北's hazards are re-checked by its centre; elsewhere by the demo's (unnamed) checkers.
    checker = users.get("shabei") if "/411103001000" in hazard.subject.region.path else None
    with _as(rectifier) if rectifier else _nothing():
        hazard = hazard_request_recheck(hazard=hazard, on=requested, photos=[_photo()])
    if requested >= today or fate > 0.97:
        return  # waiting for 复查
    checked = min(today, requested + datetime.timedelta(days=rng.randint(1, 5)))
    if fate < 0.2:
        with _as(checker) if checker else _nothing():
            hazard = hazard_recheck(hazard=hazard, on=checked, passed=False, note="整改不到位，重新整改")
        again = min(today, checked + datetime.timedelta(days=rng.randint(2, 10)))
        with _as(rectifier) if rectifier else _nothing():
            hazard = hazard_request_recheck(hazard=hazard, on=again, photos=[_photo()])
        checked = min(today, again + datetime.timedelta(days=2))
    with _as(checker) if checker else _nothing():
        hazard_recheck(hazard=hazard, on=checked, passed=True, photos=[_photo(f"复查通过 {hazard.ref}")])


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False
