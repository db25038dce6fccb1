import pytest

from sanling.conftest import VALID_USCC, write_csv

REGION_ROWS = [
    ["code", "name", "level", "parent_code"],
    ["410000000000", "河南省", "province", ""],
    ["411100000000", "漯河市", "city", "410000000000"],
    ["411103000000", "郾城区", "county", "411100000000"],
    ["411103001000", "沙北街道", "town", "411103000000"],
    ["411103001001", "金牛社区", "village", "411103001000"],
    ["411103001001001", "金牛社区第一网格", "grid", "411103001001"],
]
DEPARTMENT_ROWS = [["code", "name"], ["JY", "区教育局"], ["WJ", "区卫健委"]]
SUBJECT_HEADER = [
    "code",
    "name",
    "kind",
    "category",
    "region_code",
    "department_code",
    "uscc",
    "address",
    "contact_name",
    "contact_phone",
    "joined_on",
    "retired_on",
]
SUBJECT_ROWS = [
    SUBJECT_HEADER,
    [
        "V0001",
        "金牛社区",
        "community",
        "",
        "411103001001",
        "",
        "",
        "龙塔街道金牛路1号",
        "张三",
        "13800000001",
        "2021-01-01",
        "",
    ],
    [
        "U0001",
        "郾城区实验小学",
        "institution",
        "school",
        "411103001001001",
        "JY",
        VALID_USCC,
        "",
        "李四",
        "0395-3312345",
        "2021/3/5",
        "",
    ],
    [
        "U0002",
        "郾城区中医院",
        "institution",
        "hospital",
        "411103001000",
        "WJ",
        "",
        "",
        "",
        "",
        "2021-01-01",
        "2021-12-31",
    ],
]


EVENT_HEADER = [
    "ref",
    "type",
    "subject_code",
    "occurred_on",
    "title",
    "petition_level",
    "higher_authority_required",
    "collective",
    "accident_grade",
    "deaths",
    "injuries",
    "status",
]
EVENT_ROWS = [
    EVENT_HEADER,
    ["E1", "petition", "V0001", "2021-05-03", "拆迁补偿信访", "county", "否", "是", "", "", "", "handling"],
    ["E2", "信访", "V0001", "2021-06-01", "要求上级解决", "省", "是", "否", "", "", "", ""],
    ["E3", "accident", "U0001", "2021-03-31", "校车刮擦", "", "", "", "general", "0", "2", "closed"],
    ["E4", "刑事案件", "U0002", "2021-08-08", "盗窃案", "", "", "", "", "", "", ""],
]
DISPUTE_HEADER = [
    "ref",
    "subject_code",
    "reported_on",
    "category",
    "summary",
    "status",
    "resolved_level",
    "resolved_on",
    "method",
]
DISPUTE_ROWS = [
    DISPUTE_HEADER,
    [
        "D1",
        "V0001",
        "2021-03-01",
        "邻里纠纷",
        "宅基地边界争议",
        "resolved",
        "village",
        "2021-03-09",
        "people",
    ],
    ["D2", "V0001", "2021-03-05", "婚姻家庭", "离婚财产分割", "调解中", "", "", ""],
]


@pytest.fixture
def bundle(tmp_path):
    """A folder holding a small valid bundle; tests change one file to make it bad."""

    def make(
        regions=REGION_ROWS,
        departments=DEPARTMENT_ROWS,
        subjects=SUBJECT_ROWS,
        events=EVENT_ROWS,
        disputes=DISPUTE_ROWS,
        folder="bundle",
    ):
        path = tmp_path / folder
        for name, rows in (
            ("regions.csv", regions),
            ("departments.csv", departments),
            ("subjects.csv", subjects),
            ("events.csv", events),
            ("disputes.csv", disputes),
        ):
            if rows is not None:
                write_csv(path, name, rows)
        return path

    return make
