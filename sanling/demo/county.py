"""A deterministic synthetic county modelled on 郾城区 (漯河市, 河南省) as the seeds describe it:
11 towns and streets, 183 villages and communities with 3–8 grids each, and 7,022 enterprises and
institutions supervised by 20 departments. Same seed, same county, byte for byte.
"""

import datetime
import random
from dataclasses import dataclass, field

from stdnum.cn import uscc

PROVINCE = ("410000000000", "河南省")
CITY = ("411100000000", "漯河市")
COUNTY = ("411103000000", "郾城区")
# The year the demo's events and disputes fall in, giving the seeds' figures (村社区 90.71%, 企事业 97.71%).
DEMO_YEAR = 2025

# (name, is_street, villages, communities): 183 villages and communities in all.
TOWNS = [
    ("沙北街道", True, 0, 14),
    ("淞江街道", True, 4, 8),
    ("龙塔街道", True, 3, 9),
    ("城关镇", False, 14, 3),
    ("新店镇", False, 19, 1),
    ("龙城镇", False, 18, 2),
    ("李集镇", False, 17, 1),
    ("黑龙潭镇", False, 15, 1),
    ("裴城镇", False, 19, 1),
    ("孟庙镇", False, 17, 1),
    ("商桥镇", False, 16, 0),
]

# (code, name, [(kind, category, weight, name suffixes)]): weights sum to the 7,022 units.
DEPARTMENTS = [
    (
        "JYJ",
        "区教育局",
        [
            ("institution", "school", 96, ["小学", "中学", "初级中学"]),
            ("institution", "kindergarten", 121, ["幼儿园"]),
        ],
    ),
    (
        "WJW",
        "区卫生健康委员会",
        [
            ("institution", "hospital", 38, ["卫生院", "医院"]),
            ("enterprise", "business_outlet", 212, ["诊所", "卫生室"]),
        ],
    ),
    (
        "WGLJ",
        "区文化广电和旅游局",
        [
            ("enterprise", "scenic_area", 9, ["景区", "生态园"]),
            ("enterprise", "other", 96, ["网吧", "文化传媒有限公司"]),
        ],
    ),
    (
        "SCJGJ",
        "区市场监督管理局",
        [
            ("enterprise", "market", 64, ["农贸市场", "商贸城"]),
            ("enterprise", "business_outlet", 2089, ["超市", "便利店", "餐饮店", "百货店"]),
        ],
    ),
    (
        "YJGLJ",
        "区应急管理局",
        [("enterprise", "factory_mine", 268, ["化工有限公司", "加油站", "烟花爆竹经营部"])],
    ),
    ("MZZJJ", "区民族宗教事务局", [("institution", "religious_venue", 47, ["教堂", "寺", "清真寺"])]),
    (
        "JTYSJ",
        "区交通运输局",
        [
            ("enterprise", "station", 17, ["汽车站", "客运站"]),
            ("enterprise", "other", 143, ["物流有限公司", "运输有限公司"]),
        ],
    ),
    ("GAJ", "市公安局郾城分局", [("enterprise", "other", 212, ["宾馆", "典当行", "旅店"])]),
    ("ZJJ", "区住房和城乡建设局", [("enterprise", "other", 302, ["建筑工程有限公司", "物业服务有限公司"])]),
    (
        "SWJ",
        "区商务局",
        [
            ("enterprise", "market", 41, ["购物广场", "商场"]),
            ("enterprise", "business_outlet", 520, ["汽车销售服务有限公司", "商贸有限公司"]),
        ],
    ),
    (
        "GXJ",
        "区工业和信息化局",
        [("enterprise", "factory_mine", 612, ["食品有限公司", "机械制造有限公司", "纺织有限公司"])],
    ),
    (
        "NYNCJ",
        "区农业农村局",
        [("enterprise", "business_outlet", 689, ["种植专业合作社", "养殖专业合作社", "家庭农场"])],
    ),
    ("MZJ", "区民政局", [("institution", "other", 64, ["敬老院", "养老服务中心"])]),
    ("ZRZYJ", "区自然资源局", [("enterprise", "factory_mine", 23, ["砂石有限公司", "砖厂"])]),
    ("SLJ", "区水利局", [("institution", "other", 31, ["水利站", "灌区管理所"])]),
    ("CGJ", "区城市管理局", [("enterprise", "other", 146, ["环卫服务有限公司", "燃气有限公司"])]),
    ("GXS", "区供销合作社", [("enterprise", "business_outlet", 137, ["农资经营部", "供销超市"])]),
    (
        "JRB",
        "区金融工作办公室",
        [("enterprise", "business_outlet", 176, ["银行营业网点", "小额贷款有限公司"])],
    ),
    (
        "RSJ",
        "区人力资源和社会保障局",
        [("enterprise", "other", 458, ["劳务有限公司", "人力资源服务有限公司"])],
    ),
    (
        "STHJ",
        "市生态环境局郾城分局",
        [("enterprise", "factory_mine", 411, ["再生资源回收站", "污水处理有限公司"])],
    ),
]
UNIT_COUNT = sum(weight for _code, _name, kinds in DEPARTMENTS for _k, _c, weight, _s in kinds)

VILLAGE_WORDS = "东西南北前后大小新老王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
VILLAGE_ENDINGS = ["庄", "寨", "楼", "营", "店", "集", "岗", "湾", "桥", "园", "庙", "坡"]
COMMUNITY_WORDS = [
    "金牛",
    "银鸽",
    "嵩山",
    "黄河",
    "太行",
    "牡丹",
    "海河",
    "文化",
    "交通",
    "湘江",
    "昆仑",
    "长江",
    "泰山",
    "淮河",
    "龙江",
    "育才",
    "幸福",
    "和平",
    "建设",
    "光明",
    "滨河",
    "翠柳",
    "沙澧",
    "祥和",
]
BRAND_WORDS = [
    "鑫",
    "华",
    "瑞",
    "丰",
    "泰",
    "宏",
    "盛",
    "达",
    "通",
    "德",
    "源",
    "佳",
    "恒",
    "安",
    "康",
    "顺",
    "益",
    "兴",
    "隆",
    "福",
    "祥",
    "和",
    "美",
    "金",
    "银",
    "宇",
    "众",
    "汇",
    "博",
    "诚",
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙朱马胡郭林何高罗郑梁谢宋唐许韩冯邓曹"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国红梅玉兰志强海燕"

# The county as a lattice over roughly the real extent of 郾城区, lon 113.75–114.15, lat 33.48–33.75.
LATTICE = (44, 30)
LON0, LON1, LAT0, LAT1 = 113.75, 114.15, 33.48, 33.75


@dataclass
class DemoCounty:
    regions: list[list[str]] = field(default_factory=list)
    departments: list[list[str]] = field(default_factory=list)
    subjects: list[list[str]] = field(default_factory=list)
    events: list[list[str]] = field(default_factory=list)
    disputes: list[list[str]] = field(default_factory=list)
    features: list[dict] = field(default_factory=list)

    @property
    def geojson(self) -> dict:
        return {"type": "FeatureCollection", "features": self.features}


def build_demo_county(seed: int = 2022, year: int = DEMO_YEAR) -> DemoCounty:
    rng = random.Random(seed)
    county = DemoCounty()
    county.regions += [
        [PROVINCE[0], PROVINCE[1], "province", ""],
        [CITY[0], CITY[1], "city", PROVINCE[0]],
        [COUNTY[0], COUNTY[1], "county", CITY[0]],
    ]
    county.departments = [[code, name] for code, name, _kinds in DEPARTMENTS]
    jitter = _jittered_lattice(rng)
    town_rects = _partition(
        (0, 0, LATTICE[0], LATTICE[1]), [villages + communities for _n, _s, villages, communities in TOWNS]
    )
    places: list[tuple[str, str, str]] = []  # (node code, node name, town name) where units may stand
    used_names: set[str] = set()
    street_number = town_number = 0
    for (town_name, is_street, villages, communities), rect in zip(TOWNS, town_rects, strict=True):
        if is_street:
            street_number += 1
            town_code = f"{COUNTY[0][:6]}{street_number:03d}000"
        else:
            town_number += 1
            town_code = f"{COUNTY[0][:6]}{100 + town_number:03d}000"
        county.regions.append([town_code, town_name, "town", COUNTY[0]])
        county.features.append(_feature(town_code, town_name, "town", rect, jitter))
        places.append((town_code, town_name, town_name))
        kinds = ["community"] * communities + ["village"] * villages
        for number, (kind, village_rect) in enumerate(
            zip(kinds, _partition(rect, [1] * len(kinds)), strict=True), start=1
        ):
            serial = number if kind == "community" else 200 + number
            village_code = f"{town_code[:9]}{serial:03d}"
            village_name = _unique(used_names, lambda kind=kind: _village_name(rng, kind))
            county.regions.append([village_code, village_name, "village", town_code])
            county.features.append(_feature(village_code, village_name, "village", village_rect, jitter))
            county.subjects.append(
                [
                    f"V{village_code}",
                    village_name,
                    kind,
                    "",
                    village_code,
                    "",
                    "",
                    f"{town_name}{village_name}",
                    _person(rng),
                    _mobile(rng),
                    "2021-01-01",
                    "",
                ]
            )
            for grid_number in range(1, rng.randint(3, 8) + 1):
                grid_code = f"{village_code}{grid_number:03d}"
                county.regions.append([grid_code, f"{village_name}第{grid_number}网格", "grid", village_code])
                places.append((grid_code, village_name, town_name))
    unit_number = 0
    for department_code, _department_name, kinds in DEPARTMENTS:
        for kind, category, weight, suffixes in kinds:
            for _ in range(weight):
                unit_number += 1
                node_code, village_name, town_name = rng.choice(places)
                name = _unique(
                    used_names, lambda v=village_name, t=town_name, s=suffixes: _unit_name(rng, t, v, s)
                )
                joined = (
                    datetime.date(2021, 1, 1)
                    if rng.random() < 0.9
                    else datetime.date(2021, rng.randint(2, 9), 1)
                )
                # A few units leave during the demo year: they still count in it, not after.
                retired = (
                    f"{year}-{rng.randint(6, 12):02d}-{rng.randint(1, 28):02d}" if rng.random() < 0.01 else ""
                )
                county.subjects.append(
                    [
                        f"U{unit_number:05d}",
                        name,
                        kind,
                        category,
                        node_code,
                        department_code,
                        _uscc(rng, kind) if rng.random() < 0.85 else "",
                        f"{town_name}{village_name}",
                        _person(rng),
                        _mobile(rng),
                        joined.isoformat(),
                        retired,
                    ]
                )
    _add_events(rng, county, year)
    _add_disputes(rng, county, year)
    return county


# How many subjects break a zero in the demo year: the seeds' 郾城 figures (90.71% and 97.7%).
FAILING_VILLAGES = 17
FAILING_UNITS = 161
DISPUTES_PER_YEAR = 867
# Nine of the data dictionary's default categories (as many as before, so the demo's random draws stay the same).
DISPUTE_CATEGORIES = [
    "婚姻家庭",
    "邻里纠纷",
    "土地承包",
    "山林土地",
    "劳动争议",
    "物业纠纷",
    "征地拆迁",
    "医疗纠纷",
    "消费纠纷",
]
VILLAGE_CASES = ["电信网络诈骗案", "入室盗窃案", "故意伤害案", "寻衅滋事案", "赌博案", "盗窃电动车案"]
PETITION_TITLES = [
    "征地补偿款分配",
    "宅基地纠纷处理不满",
    "拖欠工程款",
    "低保评定有异议",
    "问题楼盘办证",
    "退役军人待遇",
]
UNIT_EVENTS = {
    "factory_mine": ("accident", ["机械伤害事故", "高处坠落事故", "触电事故", "物体打击事故"]),
    "school": ("public_safety", ["学生校外溺水", "校园食物中毒", "校园踩踏险情"]),
    "kindergarten": ("public_safety", ["幼儿食物中毒", "幼儿意外伤害"]),
    "market": ("security_case", ["扒窃案", "打架斗殴案"]),
    "station": ("security_case", ["扒窃案", "倒票案"]),
}


def _day(rng: random.Random, year: int) -> str:
    start = datetime.date(year, 1, 1)
    return (start + datetime.timedelta(days=rng.randrange(365))).isoformat()


def _event(ref: str, kind: str, subject: str, day: str, title: str, **fields) -> list[str]:
    return [
        ref,
        kind,
        subject,
        day,
        title,
        fields.get("petition_level", ""),
        fields.get("higher", ""),
        fields.get("collective", ""),
        fields.get("grade", ""),
        fields.get("deaths", ""),
        fields.get("injuries", ""),
        fields.get("status", "closed"),
    ]


def _add_events(rng: random.Random, county: DemoCounty, year: int) -> None:
    villages = [row for row in county.subjects if row[2] in ("village", "community")]
    units = [row for row in county.subjects if row[2] in ("enterprise", "institution")]
    number = 0

    def ref() -> str:
        nonlocal number
        number += 1
        return f"E{year}{number:05d}"

    for village in rng.sample(villages, FAILING_VILLAGES):
        for _ in range(rng.choice([1, 1, 2])):
            if rng.random() < 0.4:
                level = rng.choice(["county", "county", "city", "province"])
                county.events.append(
                    _event(
                        ref(),
                        "petition",
                        village[0],
                        _day(rng, year),
                        rng.choice(PETITION_TITLES),
                        petition_level=level,
                        higher="否",
                        collective=rng.choice(["是", "否", "否"]),
                    )
                )
            else:
                kind = rng.choice(["criminal_case", "security_case"])
                county.events.append(
                    _event(ref(), kind, village[0], _day(rng, year), rng.choice(VILLAGE_CASES))
                )
    # Petitions that stayed at village or town level, or that only a higher authority can settle: no zero broken.
    for village in rng.sample(villages, 60):
        county.events.append(
            _event(
                ref(),
                "petition",
                village[0],
                _day(rng, year),
                rng.choice(PETITION_TITLES),
                petition_level=rng.choice(["village", "town", "town"]),
                higher="否",
                collective="否",
            )
        )
    for village in rng.sample(villages, 8):
        county.events.append(
            _event(
                ref(),
                "petition",
                village[0],
                _day(rng, year),
                "涉法涉诉须由上级复查",
                petition_level="county",
                higher="是",
                collective="否",
            )
        )
    for unit in rng.sample(units, FAILING_UNITS):
        kind, titles = UNIT_EVENTS.get(unit[3], ("security_case", ["盗窃案", "诈骗案", "治安纠纷案"]))
        if kind == "accident":
            deaths = rng.choice([0, 0, 0, 1])
            county.events.append(
                _event(
                    ref(),
                    kind,
                    unit[0],
                    _day(rng, year),
                    rng.choice(titles),
                    grade="general",
                    deaths=str(deaths),
                    injuries=str(rng.randint(0, 3)),
                )
            )
        else:
            county.events.append(_event(ref(), kind, unit[0], _day(rng, year), rng.choice(titles)))


def _add_disputes(rng: random.Random, county: DemoCounty, year: int) -> None:
    villages = [row for row in county.subjects if row[2] in ("village", "community")]
    units = [row for row in county.subjects if row[2] in ("enterprise", "institution")]
    for number in range(1, DISPUTES_PER_YEAR + 1):
        subject = rng.choice(villages) if rng.random() < 0.8 else rng.choice(units)
        reported = datetime.date.fromisoformat(_day(rng, year))
        roll = rng.random()
        if roll < 0.965:
            status = "resolved"
            level = rng.choices(["group", "village", "town", "county"], weights=[40, 40, 18, 2])[0]
            resolved_on = min(
                reported + datetime.timedelta(days=rng.randint(0, 20)), datetime.date(year, 12, 31)
            )
            method = rng.choices(["people", "administrative", "judicial", "other"], weights=[75, 15, 8, 2])[0]
        else:
            status = rng.choice(["mediating", "escalated", "failed"])
            level, resolved_on, method = "", None, ""
        county.disputes.append(
            [
                f"D{year}{number:05d}",
                subject[0],
                reported.isoformat(),
                rng.choice(DISPUTE_CATEGORIES),
                f"{subject[1]}{rng.choice(DISPUTE_CATEGORIES)}",
                status,
                level,
                resolved_on.isoformat() if resolved_on else "",
                method,
            ]
        )


def _unique(used: set[str], make) -> str:
    for _attempt in range(50):
        name = make()
        if name not in used:
            used.add(name)
            return name
    raise RuntimeError("ran out of demo names")


def _village_name(rng: random.Random, kind: str) -> str:
    if kind == "community":
        return (
            f"{rng.choice(COMMUNITY_WORDS)}{rng.choice(['', '路', '苑', '东', '西', '南', '北', '新村'])}社区"
        )
    return f"{rng.choice(VILLAGE_WORDS)}{rng.choice(VILLAGE_WORDS)}{rng.choice(VILLAGE_ENDINGS)}村"


def _unit_name(rng: random.Random, town: str, village: str, suffixes: list[str]) -> str:
    suffix = rng.choice(suffixes)
    if "有限公司" in suffix or "合作社" in suffix or suffix in ("家庭农场",):
        return f"漯河市{rng.choice(BRAND_WORDS)}{rng.choice(BRAND_WORDS)}{suffix}"
    if suffix in ("小学", "中学", "初级中学", "幼儿园", "卫生院", "敬老院", "水利站"):
        ordinal = rng.choice(["", "第一", "第二", "第三", "实验", "中心", "育才", "希望", "阳光", "新区"])
        return f"郾城区{town.removesuffix('街道').removesuffix('镇')}{village.removesuffix('村').removesuffix('社区')}{ordinal}{suffix}"
    return f"{village.removesuffix('村').removesuffix('社区')}{rng.choice(BRAND_WORDS)}{rng.choice(BRAND_WORDS)}{suffix}"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randint(0, 999_999_999):09d}"


def _uscc(rng: random.Random, kind: str) -> str:
    prefix = "91" if kind == "enterprise" else "12"
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = f"{prefix}411103" + "".join(rng.choice(alphabet) for _ in range(9))
    return body + uscc.calc_check_digit(body)


def _partition(rect: tuple[int, int, int, int], weights: list[int]) -> list[tuple[int, int, int, int]]:
    """Cut a lattice rectangle (x0, y0, x1, y1) into len(weights) rectangles with areas roughly in
    proportion to the weights, by cutting the longer side again and again."""
    if len(weights) == 1:
        return [rect]
    x0, y0, x1, y1 = rect
    half = len(weights) // 2
    share = sum(weights[:half]) / sum(weights)
    if x1 - x0 >= y1 - y0:
        cut = min(max(x0 + round((x1 - x0) * share), x0 + 1), x1 - 1)
        return _partition((x0, y0, cut, y1), weights[:half]) + _partition((cut, y0, x1, y1), weights[half:])
    cut = min(max(y0 + round((y1 - y0) * share), y0 + 1), y1 - 1)
    return _partition((x0, y0, x1, cut), weights[:half]) + _partition((x0, cut, x1, y1), weights[half:])


def _jittered_lattice(rng: random.Random) -> dict[tuple[int, int], tuple[float, float]]:
    """Lattice points moved a little at random, shared by neighbouring outlines so they fit together."""
    width, height = LATTICE
    points = {}
    for x in range(width + 1):
        for y in range(height + 1):
            dx = 0 if x in (0, width) else rng.uniform(-0.3, 0.3)
            dy = 0 if y in (0, height) else rng.uniform(-0.3, 0.3)
            lon = LON0 + (LON1 - LON0) * (x + dx) / width
            lat = LAT0 + (LAT1 - LAT0) * (y + dy) / height
            points[(x, y)] = (round(lon, 5), round(lat, 5))
    return points


def _feature(code: str, name: str, level: str, rect, jitter) -> dict:
    x0, y0, x1, y1 = rect
    ring = (
        [(x, y0) for x in range(x0, x1)]
        + [(x1, y) for y in range(y0, y1)]
        + [(x, y1) for x in range(x1, x0, -1)]
        + [(x0, y) for y in range(y1, y0, -1)]
    )
    coordinates = [list(jitter[point]) for point in ring]
    coordinates.append(coordinates[0])
    return {
        "type": "Feature",
        "properties": {"code": code, "name": name, "level": level},
        "geometry": {"type": "Polygon", "coordinates": [coordinates]},
    }
