"""The demo county's grids (called by ``sanling.demo.fieldwork``), written through the services.

商桥镇 becomes the seeds' 商桥镇: "全镇划分为东、南、西、中4个一级网格，指派班子成员担任网格长……以行政村为主体
设置21个二级网格，村党支部书记为二级网格长……将全镇划分为97个三级网格，每个网格建立“一长两员”的自治组织". Its 16
villages are grouped into 4 sectors (片区); each village gets a 二级 grid (five of them two); the village's
existing grids move under them (and 8 new ones are drawn) to make 97 三级 grids, each with its 网格长, 网格员
and 监督员. Subjects stay where they stand, so every village's, town's and the county's rates are unchanged.
沙北街道 (where the demo grid worker works) gets a 网格长 and a 网格员 in every grid; the other towns' grids
have their 网格长 only, so the roster flags their empty 网格员 posts.
"""

import datetime
import random

from sanling.assessment.services import assessment_recompute
from sanling.regions.models import Level, Region
from sanling.regions.services import region_create, region_move

from .services import post_create, sector_create

SHANGQIAO = "411103108000"
SHABEI = "411103001000"
SECOND_TIER = 21
THIRD_TIER = 97
SECTORS = [("E", "东片区"), ("S", "南片区"), ("W", "西片区"), ("C", "中片区")]
# The demo grid worker (sanling.demo.services.DEMO_USERS "grid") holds a post in this grid, with a login.
GRID_WORKER = ("grid", "411103001001001")
# Before every demo year: the grids are drawn as if they had always been so (no history to read back).
DRAWN_ON = datetime.date(2021, 1, 1)

SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志海燕"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}"


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    rng = random.Random(15)
    started = today.replace(year=today.year - 2, month=1, day=1)
    town = Region.objects.filter(code=SHANGQIAO).first()
    if town is not None:
        _shangqiao(town, rng, started)
    shabei = Region.objects.filter(code=SHABEI).first()
    if shabei is not None:
        _shabei(shabei, rng, started)
    # The other towns have their 网格长 on record, and no 网格员 yet: the roster flags those posts.
    others = Region.objects.filter(level=Level.GRID, parent__level=Level.VILLAGE).exclude(
        parent__parent__code__in=[SHANGQIAO, SHABEI]
    )
    for grid in others.order_by("code"):
        _post(grid, "grid_leader", rng, started)


def _post(region: Region, post_type: str, rng: random.Random, started: datetime.date, **fields):
    return post_create(
        region=region,
        post_type=post_type,
        holder_name=fields.pop("holder_name", None) or _person(rng),
        phone=_mobile(rng),
        started_on=started,
        **fields,
    )


def _shangqiao(town: Region, rng: random.Random, started: datetime.date) -> None:
    villages = list(Region.objects.filter(parent=town, level=Level.VILLAGE).order_by("code"))
    grids = {
        village.pk: list(Region.objects.filter(parent=village, level=Level.GRID).order_by("code"))
        for village in villages
    }
    # 一级: four sectors of four villages each, each led by a 班子成员 (a post at the town).
    size = -(-len(villages) // len(SECTORS))
    for index, (code, name) in enumerate(SECTORS):
        members = villages[index * size : (index + 1) * size]
        if not members:
            continue
        sector = sector_create(town=town, code=code, name=name, villages=members)
        _post(town, "grid_leader", rng, started, sector=sector)
    # 二级: one grid per village, two in the five villages with the most grids (21 in all).
    split = {
        village.pk
        for village in sorted(villages, key=lambda village: (-len(grids[village.pk]), village.code))[
            : max(0, SECOND_TIER - len(villages))
        ]
    }
    # 三级: the existing grids, and new ones in the villages with the fewest until there are 97.
    missing = max(0, THIRD_TIER - sum(len(found) for found in grids.values()))
    growing = sorted(villages, key=lambda village: (len(grids[village.pk]), village.code))[:missing]
    moved = False
    for village in villages:
        secretary = _person(rng)
        _post(village, "village_police", rng, started)
        halves = [("", grids[village.pk])]
        if village.pk in split:
            middle = (len(grids[village.pk]) + 1) // 2
            halves = [("一区", grids[village.pk][:middle]), ("二区", grids[village.pk][middle:])]
        number = len(grids[village.pk])
        for serial, (part, members) in enumerate(halves, start=1):
            second = region_create(
                code=f"{village.code}{serial:02d}",
                name=f"{village.name}{part}网格",
                level=Level.GRID,
                parent=village,
            )
            # 村党支部书记为二级网格长: the village's party secretary leads each of its 二级 grids.
            _post(second, "grid_leader", rng, started, holder_name=secretary)
            _post(second, "grid_member", rng, started)  # a member of the village's “两委”
            for grid in members:
                region_move(region=grid, new_parent=second, moved_on=DRAWN_ON, recompute=False)
                moved = True
            if village in growing and serial == len(halves):
                number += 1
                region_create(
                    code=f"{village.code}{number:03d}",
                    name=f"{village.name}第{number}网格",
                    level=Level.GRID,
                    parent=second,
                )
            for third in Region.objects.filter(parent=second).order_by("code"):
                _roster(third, rng, started)
    if moved:
        assessment_recompute()  # once, for every moved grid


def _roster(grid: Region, rng: random.Random, started: datetime.date) -> None:
    """ "一长两员": the 网格长, a 网格员 (a 村“两委” member) and the 监督员; every other grid a 老党员 too."""
    _post(grid, "grid_leader", rng, started)
    _post(grid, "grid_member", rng, started)
    _post(grid, "supervisor", rng, started)
    if rng.random() < 0.5:
        _post(grid, "veteran_party_member", rng, started)


def _shabei(town: Region, rng: random.Random, started: datetime.date) -> None:
    from django.contrib.auth import get_user_model

    username, worker_grid = GRID_WORKER
    worker = get_user_model().objects.filter(username=username).first()
    for grid in Region.objects.filter(parent__parent=town, level=Level.GRID).order_by("code"):
        _post(grid, "grid_leader", rng, started)
        if grid.code == worker_grid:
            _post(grid, "grid_member", rng, started, holder_name="网格员小王", user=worker)
        else:
            _post(grid, "grid_member", rng, started)
