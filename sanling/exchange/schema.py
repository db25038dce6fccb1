"""The data exchange bundle format of DESIGN.md: files, columns and the Chinese names they may use.

The Chinese names here are part of the file format (a contract with other systems), so they are written
out rather than taken from the UI translations.
"""

from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Column:
    key: str
    chinese: str
    required: bool = False
    # English value -> Chinese name, for columns whose values are an enumeration.
    choices: dict[str, str] | None = None

    @property
    def title(self) -> str:
        return f"{self.chinese}（{self.key}）"


@dataclass(frozen=True)
class FileSpec:
    key: str
    chinese: str
    columns: list[Column] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.key}.csv"

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.columns}

    @cached_property
    def aliases(self) -> dict[str, dict[str, str]]:
        """Column key -> every accepted spelling of its values -> the value (see ``choice_aliases``)."""
        return {column.key: choice_aliases(column) for column in self.columns if column.choices is not None}


LEVELS = {
    "province": "省",
    "city": "市",
    "county": "县区",
    "town": "乡镇街道",
    "village": "村社区",
    "grid": "网格",
    "building": "楼宇",
}
KINDS = {"village": "村", "community": "社区", "enterprise": "企业", "institution": "事业单位"}
CATEGORIES = {
    "school": "学校",
    "kindergarten": "幼儿园",
    "hospital": "医院",
    "scenic_area": "景区",
    "market": "商场市场",
    "factory_mine": "厂矿",
    "station": "车站",
    "airport": "机场",
    "religious_venue": "宗教场所",
    "business_outlet": "生产经营网点",
    "other": "其他",
}
BOOLEANS = {"true": "是", "false": "否"}

REGIONS = FileSpec(
    "regions",
    "区划",
    [
        Column("code", "代码", required=True),
        Column("name", "名称", required=True),
        Column("level", "层级", required=True, choices=LEVELS),
        Column("parent_code", "上级代码"),
    ],
)
DEPARTMENTS = FileSpec(
    "departments",
    "部门",
    [Column("code", "代码", required=True), Column("name", "名称", required=True)],
)
SUBJECTS = FileSpec(
    "subjects",
    "主体",
    [
        Column("code", "编码", required=True),
        Column("name", "名称", required=True),
        Column("kind", "类型", required=True, choices=KINDS),
        Column("category", "类别", choices=CATEGORIES),
        Column("region_code", "属地代码", required=True),
        Column("department_code", "主管部门代码"),
        Column("uscc", "统一社会信用代码"),
        Column("address", "地址"),
        Column("contact_name", "负责人"),
        Column("contact_phone", "联系电话"),
        Column("joined_on", "纳入创建日期", required=True),
        Column("retired_on", "退出日期"),
    ],
)

EVENT_TYPES = {
    "petition": "信访",
    "accident": "生产安全事故",
    "public_safety": "公共安全事件",
    "criminal_case": "刑事案件",
    "security_case": "治安案件",
}
PETITION_LEVELS = {
    "village": "村",
    "town": "乡镇",
    "county": "县",
    "city": "市",
    "province": "省",
    "national": "中央",
}
ACCIDENT_GRADES = {"general": "一般", "larger": "较大", "major": "重大", "especially_major": "特别重大"}
EVENT_STATUSES = {"reported": "已登记", "handling": "处理中", "closed": "已办结"}
DISPUTE_STATUSES = {
    "open": "待调解",
    "mediating": "调解中",
    "resolved": "已化解",
    "escalated": "已上交",
    "failed": "调解不成",
    "petitioned": "已转信访",
    "litigated": "已转诉讼",
}
RESOLVED_LEVELS = {"group": "组", "village": "村", "town": "乡镇", "county": "县"}
DIAGNOSES = {"clinic": "门诊", "rounds": "巡诊", "consultation": "会诊", "follow_up": "复诊"}  # 四诊
SATISFACTIONS = {"satisfied": "满意", "basically": "基本满意", "unsatisfied": "不满意"}
CHANNELS = {"letter": "来信", "visit": "来访", "online": "网上", "phone": "电话"}
VISIT_MODES = {  # 四访
    "open_door": "开门接访",
    "appointment": "进门约访",
    "home_visit": "登门走访",
    "return_visit": "上门回访",
}
CLAIMS = {"reasonable": "合理", "unreasonable": "不合理"}
PETITION_STEPS = {
    "received": "待受理",
    "handling": "办理中",
    "replied": "已答复",
    "review": "复查中",
    "re_review": "复核中",
    "concluded": "已终结",
}
ORGANISATION_KINDS = {
    "comprehensive_centre": "综治中心",
    "mediation_centre": "矛调中心",
    "mediation_committee": "人民调解委员会",
    "police_station": "派出所",
    "justice_office": "司法所",
    "petition_office": "信访办",
    "department": "行业主管部门",
    "other": "其他",
}
MEDIATION_METHODS = {
    "people": "人民调解",
    "administrative": "行政调解",
    "judicial": "司法调解",
    "other": "其他",
}

ORGANISATIONS = FileSpec(
    "organisations",
    "机构",
    [
        Column("code", "代码", required=True),
        Column("name", "名称", required=True),
        Column("kind", "类型", required=True, choices=ORGANISATION_KINDS),
        Column("region_code", "属地代码", required=True),
        Column("department_code", "主管部门代码"),
    ],
)
EVENTS = FileSpec(
    "events",
    "事件",
    [
        Column("ref", "编号", required=True),
        Column("type", "类型", required=True, choices=EVENT_TYPES),
        Column("subject_code", "主体编码", required=True),
        Column("occurred_on", "发生日期", required=True),
        Column("title", "标题", required=True),
        Column("petition_level", "信访层级", choices=PETITION_LEVELS),
        Column("higher_authority_required", "须由上级解决", choices=BOOLEANS),
        Column("collective", "集体访", choices=BOOLEANS),
        Column("accident_grade", "事故等级", choices=ACCIDENT_GRADES),
        Column("deaths", "死亡人数"),
        Column("injuries", "受伤人数"),
        Column("status", "状态", choices=EVENT_STATUSES),
        # Optional (issue 15): the hazard of the same subject an accident came from.
        Column("hazard_ref", "来源隐患编号"),
    ],
)
DISPUTES = FileSpec(
    "disputes",
    "纠纷",
    [
        Column("ref", "编号", required=True),
        Column("subject_code", "主体编码", required=True),
        Column("reported_on", "登记日期", required=True),
        Column("category", "类别"),
        Column("summary", "简述", required=True),
        Column("status", "状态", choices=DISPUTE_STATUSES),
        Column("resolved_level", "化解层级", choices=RESOLVED_LEVELS),
        Column("resolved_on", "化解日期"),
        Column("method", "调解方式", choices=MEDIATION_METHODS),
        # The case columns (issue 17), all optional: a bundle without them imports as before.
        Column("level", "层级", choices=RESOLVED_LEVELS),
        Column("diagnosis", "四诊", choices=DIAGNOSES),
        Column("parties", "当事人"),
        Column("agreement", "调解协议"),
        Column("follow_up_on", "回访日期"),
        Column("satisfaction", "满意度", choices=SATISFACTIONS),
        Column("organisation_code", "承办机构代码"),
        # Where it was found (issue 15), optional: a grid or 楼宇 of the subject's village.
        Column("grid_code", "网格代码"),
    ],
)
# Hazards (隐患, issue 15): a hazard and where its 整改/复查 stands; a closed row is a closed case.
HAZARD_LEVELS = {"general": "一般", "major": "重大"}
HAZARD_STATUSES = {"rectifying": "整改中", "recheck_requested": "申请复查", "closed": "复查通过"}
HAZARD_SOURCES = {"inspection": "排查", "patrol": "巡防", "meeting": "会议", "visit": "走访"}
HAZARDS = FileSpec(
    "hazards",
    "隐患",
    [
        Column("ref", "编号", required=True),
        Column("subject_code", "主体编码", required=True),
        Column("found_on", "发现日期", required=True),
        Column("category", "类别", required=True),
        Column("level", "等级", choices=HAZARD_LEVELS),
        Column("description", "隐患描述", required=True),
        Column("status", "状态", choices=HAZARD_STATUSES),
        Column("due_on", "整改期限"),
        Column("rectified_on", "复查通过日期"),
        Column("grid_code", "网格代码"),
        Column("source", "来源", choices=HAZARD_SOURCES),
        Column("owner_person", "整改责任人"),
        Column("organisation_code", "整改责任单位代码"),
    ],
)
PETITIONS = FileSpec(
    "petitions",
    "信访",
    [
        Column("ref", "编号", required=True),
        Column("subject_code", "主体编码", required=True),
        Column("received_on", "收到日期", required=True),
        Column("channel", "来源渠道", required=True, choices=CHANNELS),
        Column("visit_mode", "四访", choices=VISIT_MODES),
        Column("summary", "简述", required=True),
        Column("level", "信访层级", required=True, choices=PETITION_LEVELS),
        Column("petitioner_name", "信访人"),
        Column("petitioner_id_number", "身份证号"),
        Column("petitioner_phone", "联系电话"),
        Column("repeat", "重复访", choices=BOOLEANS),
        Column("collective", "集体访", choices=BOOLEANS),
        Column("people_count", "人数"),
        Column("bypass", "越级", choices=BOOLEANS),
        Column("claim", "诉求认定", choices=CLAIMS),
        Column("step", "环节", choices=PETITION_STEPS),
        Column("accepted_on", "受理日期"),
        Column("replied_on", "答复日期"),
        Column("concluded_on", "终结日期"),
        Column("satisfaction", "满意度", choices=SATISFACTIONS),
        Column("organisation_code", "承办机构代码"),
    ],
)

# A town's sectors (片区, its 一级网格; issue 15), keyed by town and code; villages in one cell.
SECTORS = FileSpec(
    "sectors",
    "片区",
    [
        Column("town_code", "乡镇代码", required=True),
        Column("code", "编码", required=True),
        Column("name", "名称", required=True),
        Column("village_codes", "村社区代码"),
    ],
)

# Who holds which post where (issue 15): one row per holder and term, keyed by place, post, name and start.
POSTS = FileSpec(
    "posts",
    "岗位",
    [
        Column("region_code", "区划代码", required=True),
        Column("post_type", "岗位", required=True),
        Column("holder_name", "姓名", required=True),
        Column("started_on", "任职日期", required=True),
        Column("ended_on", "离任日期"),
        Column("phone", "联系电话"),
        Column("username", "登录账号"),
        Column("sector_code", "片区编码"),
    ],
)

# In the order they are read and written: a file may refer only to the ones before it.
FILES: list[FileSpec] = [
    REGIONS,
    DEPARTMENTS,
    ORGANISATIONS,
    SUBJECTS,
    HAZARDS,
    EVENTS,
    DISPUTES,
    PETITIONS,
    SECTORS,
    POSTS,
]


def spec_for_name(name: str) -> FileSpec | None:
    """The file a CSV name or a workbook sheet title stands for (``subjects.csv``, ``主体``, ``Subjects``)."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".csv").removesuffix(".CSV").strip().lower()
    return next((spec for spec in FILES if stem in (spec.key, spec.chinese)), None)


def choice_aliases(column: Column) -> dict[str, str]:
    """Every accepted spelling of an enumerated value (English key or Chinese name) -> the key."""
    aliases = {key: key for key in column.choices or {}}
    aliases.update({chinese: key for key, chinese in (column.choices or {}).items()})
    if column.choices is BOOLEANS:
        aliases.update({"yes": "true", "no": "false", "1": "true", "0": "false", "y": "true", "n": "false"})
    return aliases


# Fieldwork (issue 15), 走访: households per region (the denominator of 覆盖率) and the visits themselves.
# A theme is a code or a label of the county's list ``visit_theme`` (数据字典), so it has no fixed choices.
HOUSEHOLDS = FileSpec(
    "households",
    "户数",
    [
        Column("region_code", "区划代码", required=True),
        Column("as_of", "统计日期", required=True),
        Column("households", "户数", required=True),
        Column("residents", "人口数"),
        Column("note", "备注"),
    ],
)
VISITS = FileSpec(
    "visits",
    "走访",
    [
        Column("ref", "编号", required=True),
        Column("region_code", "属地代码", required=True),
        Column("household", "门牌号", required=True),
        Column("visited_on", "走访日期", required=True),
        Column("theme", "走访主题", required=True),
        Column("persons_met", "走访人次"),
        Column("visitor_name", "走访人"),
        Column("findings", "发现问题"),
    ],
)
FILES += [HOUSEHOLDS, VISITS]

# Key persons (重点人员, issue 15 item 9): encrypted at rest after import; keyed by ``ref``. The same file as
# ``sanling key_people import|export`` reads and writes (its columns are these). Read after regions,
# subjects and posts; identities masked in an export unless unmasked (see the exporter).
KEY_PEOPLE = FileSpec(
    "key_people",
    "重点人员",
    [
        Column("ref", "编号", required=True),
        Column("region_code", "区划代码", required=True),
        Column("category", "类别", required=True),
        Column("risk_level", "风险等级", choices={"low": "低", "medium": "中", "high": "高"}),
        Column("name", "姓名", required=True),
        Column("id_number", "身份证号码"),
        Column("phone", "联系电话"),
        Column("address", "住址"),
        Column("handler", "责任人账号"),
        Column("registered_on", "列管日期"),
        Column("active", "在管"),
        Column("note", "备注"),
        # The post responsible for seeing the person: "<岗位> <姓名>" (网格员 王五), held today in their village.
        Column("post", "责任岗位"),
    ],
)
FILES += [KEY_PEOPLE]
