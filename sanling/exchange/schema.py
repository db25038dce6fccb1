"""The data exchange bundle format of DESIGN.md: files, columns and the Chinese names they may use.

The Chinese names here are part of the file format (a contract with other systems), so they are written
out rather than taken from the UI translations.
"""

from dataclasses import dataclass, field


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
        return next(column for column in self.columns if column.key == key)


LEVELS = {
    "province": "省",
    "city": "市",
    "county": "县区",
    "town": "乡镇街道",
    "village": "村社区",
    "grid": "网格",
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

# In the order they are read and written: a file may refer only to the ones before it.
FILES: list[FileSpec] = [REGIONS, DEPARTMENTS, SUBJECTS]


def spec_for_name(name: str) -> FileSpec | None:
    """The file a CSV name or a workbook sheet title stands for (``subjects.csv``, ``主体``, ``Subjects``)."""
    stem = name.rsplit("/", 1)[-1].removesuffix(".csv").removesuffix(".CSV").strip().lower()
    return next((spec for spec in FILES if stem in (spec.key, spec.chinese)), None)


def choice_aliases(column: Column) -> dict[str, str]:
    """Every accepted spelling of an enumerated value (English key or Chinese name) -> the key."""
    aliases = {key: key for key in column.choices or {}}
    aliases.update({chinese: key for key, chinese in (column.choices or {}).items()})
    return aliases
