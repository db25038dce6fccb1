"""The figures the seeds publish, reproduced through a bundle import and ``sanling rates``."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from sanling.assessment.periods import Period
from sanling.assessment.selectors import rate_percent, region_rates
from sanling.conftest import write_csv
from sanling.exchange.importer import bundle_import
from sanling.regions.models import Region

pytestmark = pytest.mark.django_db

COUNTY = "411103000000"


def county_bundle(folder, *, villages: int, failing_villages: int, units: int, failing_units: int):
    """A county of ten towns whose first subjects each had a criminal case in 2021."""
    towns = [f"411103{100 + number:03d}000" for number in range(10)]
    regions = [["code", "name", "level", "parent_code"], [COUNTY, "郾城区", "county", ""]]
    regions += [[code, f"第{index}镇", "town", COUNTY] for index, code in enumerate(towns)]
    village_codes = [f"{towns[index % 10][:9]}{200 + index // 10:03d}" for index in range(villages)]
    regions += [[code, f"村{code[-5:]}", "village", code[:9] + "000"] for code in village_codes]
    subjects = [["code", "name", "kind", "category", "region_code", "department_code", "joined_on"]]
    subjects += [[f"V{code}", f"村{code}", "village", "", code, "", "2021-01-01"] for code in village_codes]
    subjects += [
        [
            f"U{number:05d}",
            f"单位{number}",
            "enterprise",
            "business_outlet",
            towns[number % 10],
            f"D{number % 20:02d}",
            "2021-01-01",
        ]
        for number in range(units)
    ]
    departments = [["code", "name"]] + [[f"D{number:02d}", f"部门{number}"] for number in range(20)]
    events = [["ref", "type", "subject_code", "occurred_on", "title"]]
    events += [
        [f"EV{index}", "criminal_case", f"V{code}", "2021-06-15", "案件"]
        for index, code in enumerate(village_codes[:failing_villages])
    ]
    events += [
        [f"EU{number}", "security_case", f"U{number:05d}", "2021-09-30", "案件"]
        for number in range(failing_units)
    ]
    for name, rows in (
        ("regions.csv", regions),
        ("departments.csv", departments),
        ("subjects.csv", subjects),
        ("events.csv", events),
    ):
        write_csv(folder, name, rows)
    return folder


def test_rates_round_half_up_to_two_decimals():
    assert rate_percent(166, 183) == Decimal("90.71")
    assert rate_percent(6861, 7022) == Decimal("97.71")
    assert rate_percent(25, 40) == Decimal("62.50")
    assert rate_percent(1, 8) == Decimal("12.50")
    assert rate_percent(1, 200) == Decimal("0.50")
    assert rate_percent(0, 0) is None


def test_yancheng_183_villages_at_90_71_and_7022_units_at_97_71(tmp_path):
    bundle_import(county_bundle(tmp_path, villages=183, failing_villages=17, units=7022, failing_units=161))
    county = Region.objects.get(code=COUNTY)
    village, unit = region_rates(region=county, period=Period.parse("2021"))
    assert (village.active, village.compliant, village.rate) == (183, 166, Decimal("90.71"))
    assert (unit.active, unit.compliant, unit.rate) == (7022, 6861, Decimal("97.71"))
    assert (village.broke_case, unit.broke_case) == (17, 161)


def test_zhongzhan_40_villages_with_25_compliant_is_62_50(tmp_path):
    bundle_import(county_bundle(tmp_path, villages=40, failing_villages=15, units=0, failing_units=0))
    (village,) = region_rates(
        region=Region.objects.get(code=COUNTY), period=Period.parse("2021"), group="village"
    )
    assert village.rate == Decimal("62.50")


def test_rates_command_prints_json_with_the_agreed_fields(tmp_path):
    bundle_import(county_bundle(tmp_path, villages=183, failing_villages=17, units=200, failing_units=3))
    out = io.StringIO()
    call_command(
        "rates", "--region", COUNTY, "--period", "2021", "--group", "village", "--format", "json", stdout=out
    )
    assert json.loads(out.getvalue()) == [
        {
            "region_code": COUNTY,
            "region_name": "郾城区",
            "period": "2021",
            "group": "village",
            "active": 183,
            "compliant": 166,
            "rate": 90.71,
            "broke_petition": 0,
            "broke_accident": 0,
            "broke_case": 17,
        }
    ]


def test_rates_by_child_lists_every_town(tmp_path):
    bundle_import(county_bundle(tmp_path, villages=20, failing_villages=1, units=10, failing_units=0))
    out = io.StringIO()
    call_command(
        "rates",
        "--region",
        COUNTY,
        "--period",
        "2021Q2",
        "--by",
        "child",
        "--group",
        "village",
        "--format",
        "json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())
    assert len(rows) == 10
    assert [row["compliant"] for row in rows] == [1] + [2] * 9


def test_rates_by_department_carries_the_department_code(tmp_path):
    bundle_import(county_bundle(tmp_path, villages=10, failing_villages=0, units=40, failing_units=1))
    out = io.StringIO()
    call_command(
        "rates",
        "--region",
        COUNTY,
        "--period",
        "2021-09",
        "--by",
        "department",
        "--format",
        "json",
        stdout=out,
    )
    rows = json.loads(out.getvalue())
    assert [(row["department_code"], row["active"], row["compliant"]) for row in rows][:2] == [
        ("D00", 2, 1),
        ("D01", 2, 2),
    ]


def test_recompute_check_passes_after_an_import(tmp_path):
    bundle_import(county_bundle(tmp_path, villages=30, failing_villages=3, units=30, failing_units=3))
    out = io.StringIO()
    call_command("recompute", "--check", stdout=out)
    assert "完全一致" in out.getvalue()
