"""The demo county's patrols (called by ``sanling.demo.fieldwork``): 沙北街道's "守护" team, formed with the
street's 派出所 as the seeds tell it ("市公安局郾城分局沙北派出所联合社区以“守住家园护航平安”为目标,成立社区“守护”治安
巡逻队"), in day and night shifts ("巡逻队实行分班制,24小时在社区巡逻"), and about three months of its patrols in
three of the street's communities up to yesterday: by day "入户宣传扫黑除恶、防火减灾、防电信诈骗等治安防范工作", by
night "提醒群众锁好车辆、关好门窗、注意用电安全等". Two findings opened cases: a gas hazard (王大爷: "巡逻队队员多次到
我家提醒我注意用气安全") and a dispute over parking.

Deterministic (its own random stream) and written through the services, dated relative to ``today``.
"""

import datetime
import random

from django.utils import timezone

from sanling.organisations.models import Organisation, OrganisationKind
from sanling.regions.models import Level, Region

from .services import OpenCase, patrol_log_create, patrol_shift_create, patrol_team_create

TOWN = "沙北街道"
DAYS = 91  # about three months
DEFENCE = ["人防", "人防", "技防", "物防", "心防"]  # 人防 most often: the team walks the streets
DAY_ROUTES = ["入户宣传扫黑除恶", "入户宣传防火减灾", "入户宣传防电信诈骗", "沿街巡查商铺与小区出入口"]
NIGHT_ROUTES = ["提醒群众锁好车辆、关好门窗", "夜间巡查注意用电安全", "巡查小区车棚与背街小巷"]
# (days ago, shift, findings, what it opens, hazard category)
FINDINGS = [
    (40, "day", "独居老人家中燃气软管老化，提醒注意用气安全并报社区", OpenCase.HAZARD, "燃气安全"),
    (12, "night", "两户居民因占用车位发生争执，现场劝开，需调解", OpenCase.DISPUTE, ""),
    (25, "night", "一处电动车棚飞线充电，已劝离", OpenCase.NONE, ""),
]


def _areas(community: Region) -> list[Region]:
    """Where the team walks in a community: its grids (or the community itself where it has none)."""
    grids = list(Region.objects.filter(parent=community, level=Level.GRID).order_by("code")[:3])
    return grids or [community]


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    town = Region.objects.filter(name=TOWN, level=Level.TOWN).first()
    if town is None:
        return
    communities = list(Region.objects.filter(parent=town, level=Level.VILLAGE).order_by("code")[:3])
    if not communities:
        return
    rng = random.Random("sanling-demo-patrols")
    police = Organisation.objects.filter(region=town, kind=OrganisationKind.POLICE_STATION).first()
    team = patrol_team_create(
        region=town,
        name="沙北社区“守护”治安巡逻队",
        kind="guard",
        organisation=police,
        members="社区民警、辅警、警务助理、社区干部、网格员及热心群众",
        member_count=24,
    )
    shifts = {
        "day": patrol_shift_create(
            team=team, name="白班", starts_at=datetime.time(8), ends_at=datetime.time(20)
        ),
        "night": patrol_shift_create(
            team=team, name="夜班", starts_at=datetime.time(20), ends_at=datetime.time(8)
        ),
    }
    findings = {(days_ago, shift): rest for days_ago, shift, *rest in FINDINGS}
    zone = timezone.get_current_timezone()
    for days_ago in range(DAYS, 0, -1):
        day = today - datetime.timedelta(days=days_ago)
        community = communities[days_ago % len(communities)]
        for shift, hour, routes in (("day", 9, DAY_ROUTES), ("night", 21, NIGHT_ROUTES)):
            found = findings.get((days_ago, shift))
            started = datetime.datetime.combine(
                day, datetime.time(hour, rng.choice((0, 15, 30))), tzinfo=zone
            )
            text, open_case, category = found if found else ("", OpenCase.NONE, "")
            # Last night's patrol may still be under way when the demo loads after midnight: it ends by now.
            ended = min(started + datetime.timedelta(minutes=rng.choice((90, 120, 150, 180))), timezone.now())
            if ended <= started:
                continue
            patrol_log_create(
                team=team,
                shift=shifts[shift],
                region=rng.choice(_areas(community)),
                started_at=started,
                ended_at=ended,
                route=f"{community.name}：{rng.choice(routes)}",
                defence_type=rng.choice(DEFENCE),
                participants=rng.randint(3, 6),
                residents_contacted=rng.randint(8, 40) if shift == "day" else rng.randint(2, 15),
                findings=text,
                open_case=open_case,
                hazard_category=category,
                hazard_level="general",
            )
