"""The demo county's meetings (called by ``sanling.demo.fieldwork``): the seeds' 龙塔街道 "引导社区推行“510”
圆桌议事会(“5”即党员代表、居民代表、网格员、网格长和街道干部,“10”即每月召开一次会议,“0”即实现党群关系零距离)制度".
Its first community adopted the 510 twelve months ago and has held one every month since, up to today, with
the five categories at the table (and, as the seeds say, "人大代表、政协委员、市直单位工作人员也加入进来" now and then).
Each meeting raised a problem of the neighbourhood; one opened a dispute case, one a hazard. A second
community adopted it three months ago and missed last month's, so the list has a flag to show.

Deterministic and written through the services, dated relative to ``today``.
"""

import datetime

from sanling.patrols.services import OpenCase
from sanling.regions.models import Level, Region, subtree_q

from .services import AttendeeInput, ProblemInput, meeting_adoption_create, meeting_create

TOWN = "龙塔街道"
KIND = "510圆桌议事会"
MONTHS = 12
TABLE = [
    ("party_member", ["王建国", "李秀兰"]),
    ("resident", ["张玉梅", "赵志强", "孙丽华"]),
    ("grid_member", ["刘晓燕"]),
    ("grid_head", ["陈国庆"]),
    ("street_cadre", ["周文斌"]),
]
GUESTS = [("deputy", "吴代表"), ("department", "区住建局 郑工")]
# One problem a month, the newest first; (text, what it opens, hazard category).
PROBLEMS = [
    ("小区停车位分配不公，两栋楼居民多次争吵", OpenCase.DISPUTE, ""),
    ("老旧小区楼道照明损坏，夜间出行不便", OpenCase.NONE, ""),
    ("三号楼外墙瓷砖松动，有坠落危险", OpenCase.HAZARD, "安全生产"),
    ("垃圾清运不及时，夏季异味明显", OpenCase.NONE, ""),
    ("广场舞音量扰民", OpenCase.NONE, ""),
    ("电动车楼道充电屡禁不止", OpenCase.NONE, ""),
    ("小区健身器材老化", OpenCase.NONE, ""),
    ("雨后积水排不出去", OpenCase.NONE, ""),
    ("独居老人无人照看", OpenCase.NONE, ""),
    ("物业费收取争议", OpenCase.NONE, ""),
    ("背街小巷路灯不亮", OpenCase.NONE, ""),
    ("绿化带被占种菜", OpenCase.NONE, ""),
]


def _month_start(today: datetime.date, back: int) -> datetime.date:
    month = today.month - back
    year = today.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def _grid_posts(community: Region) -> dict[str, object]:
    """The community's grid member and grid head posts, where the grids demo has filled them: the attendees
    of those categories are then their holders, by post."""
    from sanling.grids.models import Post

    posts = {}
    for category, post_type in (("grid_member", "grid_member"), ("grid_head", "grid_leader")):
        post = (
            Post.objects.filter(
                subtree_q(community.path, via="region__"), post_type=post_type, ended_on__isnull=True
            )
            .order_by("region__code", "pk")
            .first()
        )
        if post is not None:
            posts[category] = post
    return posts


def _attendance(number: int, posts: dict | None = None) -> list[AttendeeInput]:
    posts = posts or {}
    rows = [
        AttendeeInput(category=category, name=posts[category].holder_name, post=posts[category])
        if category in posts
        else AttendeeInput(category=category, name=name)
        for category, names in TABLE
        for name in names
    ]
    if number % 3 == 0:  # one resident representative could not come
        rows[2] = AttendeeInput(category="resident", name=rows[2].name, present=False)
    if number % 4 == 1:
        category, name = GUESTS[number % len(GUESTS)]
        rows.append(AttendeeInput(category=category, name=name))
    return rows


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    town = Region.objects.filter(name=TOWN, level=Level.TOWN).first()
    if town is None:
        return
    communities = list(Region.objects.filter(parent=town, level=Level.VILLAGE).order_by("code")[:2])
    if not communities:
        return
    community = communities[0]
    posts = _grid_posts(community)
    meeting_adoption_create(region=community, kind=KIND, since=_month_start(today, MONTHS - 1))
    for back in range(MONTHS - 1, -1, -1):
        held_on = min(_month_start(today, back) + datetime.timedelta(days=9), today)
        text, open_case, category = PROBLEMS[back]
        meeting_create(
            region=community,
            kind=KIND,
            held_on=held_on,
            place=f"{community.name}党群服务中心",
            minutes=f"{community.name}“510”圆桌议事会：通报上月议定事项办理情况；议定：{text}，明确责任人和办理时限。",
            attendance=_attendance(back, posts),
            problems=[
                ProblemInput(text=text, open_case=open_case, hazard_category=category, hazard_level="general")
            ],
        )
    if len(communities) > 1:
        # The second community adopted the 510 three months ago and held it then and the month after: last month is
        # flagged (this month may still hold it).
        second = communities[1]
        meeting_adoption_create(region=second, kind=KIND, since=_month_start(today, 3))
        for back in (3, 2):
            meeting_create(
                region=second,
                kind=KIND,
                held_on=_month_start(today, back) + datetime.timedelta(days=14),
                place=f"{second.name}议事厅",
                minutes=f"{second.name}“510”圆桌议事会",
                attendance=_attendance(back + 1),
            )
