"""Synthetic bundles for the benchmarks, written straight to CSV.

* tier S — one county: the demo county (183 villages, 7,022 units) with 20,000 events in a year.
* tier M — a province: 52,000 villages and 500,000 units under 150 counties, 2,000,000 events in a year.

Codes are hierarchical (city = 4 digits, county = 6, town = 9, village = 12), so a reference
implementation can find every ancestor from the code alone. In tier M units stand at village nodes.

    .venv/bin/python bench/generate.py --tier M   # writes bench/out/M/
"""

import argparse
import csv
import datetime
import random
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
YEAR = 2025
TIERS = {
    "S": {"events": 20_000},
    "M": {
        "cities": 15,
        "counties": 150,
        "towns_per_county": 14,
        "villages": 52_000,
        "units": 500_000,
        "events": 2_000_000,
    },
}
CATEGORIES = [
    "school",
    "kindergarten",
    "hospital",
    "scenic_area",
    "market",
    "factory_mine",
    "station",
    "religious_venue",
    "business_outlet",
    "business_outlet",
    "business_outlet",
    "other",
]
EVENT_MIX = [  # (weight, type, petition level or grade)
    (30, "petition", "village"),
    (25, "petition", "town"),
    (10, "petition", "county"),
    (3, "petition", "city"),
    (1, "petition", "province"),
    (8, "accident", "general"),
    (3, "public_safety", ""),
    (8, "criminal_case", ""),
    (12, "security_case", ""),
]
SUBJECT_HEADER = ["code", "name", "kind", "category", "region_code", "department_code", "joined_on"]
EVENT_HEADER = [
    "ref",
    "type",
    "subject_code",
    "occurred_on",
    "title",
    "petition_level",
    "higher_authority_required",
    "accident_grade",
]


def write(path: Path, header: list[str], rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def events(rng: random.Random, subject_codes: list[str], count: int):
    weights = [weight for weight, _type, _extra in EVENT_MIX]
    start = datetime.date(YEAR, 1, 1)
    days = [(start + datetime.timedelta(days=offset)).isoformat() for offset in range(365)]
    for number, (_weight, kind, extra) in enumerate(rng.choices(EVENT_MIX, weights=weights, k=count)):
        level = extra if kind == "petition" else ""
        higher = (
            "是" if level in ("county", "city", "province") and rng.random() < 0.1 else "否" if level else ""
        )
        grade = extra if kind == "accident" else ""
        yield [
            f"B{number:08d}",
            kind,
            rng.choice(subject_codes),
            rng.choice(days),
            "事件",
            level,
            higher,
            grade,
        ]


def tier_s(folder: Path, rng: random.Random) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sanling.demo.county import build_demo_county

    county = build_demo_county(year=YEAR)
    write(folder / "regions.csv", ["code", "name", "level", "parent_code"], county.regions)
    write(folder / "departments.csv", ["code", "name"], county.departments)
    write(
        folder / "subjects.csv",
        [*SUBJECT_HEADER[:6], "uscc", "address", "contact_name", "contact_phone", "joined_on", "retired_on"],
        county.subjects,
    )
    write(
        folder / "events.csv",
        EVENT_HEADER,
        events(rng, [row[0] for row in county.subjects], TIERS["S"]["events"]),
    )


def tier_m(folder: Path, rng: random.Random) -> None:
    spec = TIERS["M"]
    regions = [["410000000000", "省", "province", ""]]
    towns, departments = [], [["code", "name"]]
    counties_per_city = spec["counties"] // spec["cities"]
    for city in range(1, spec["cities"] + 1):
        city_code = f"41{city:02d}00000000"
        regions.append([city_code, f"市{city}", "city", "410000000000"])
        for county in range(1, counties_per_city + 1):
            county_code = f"{city_code[:4]}{county:02d}000000"
            regions.append([county_code, f"县{city}-{county}", "county", city_code])
            departments += [[f"{county_code[:6]}D{number:02d}", f"部门{number}"] for number in range(20)]
            for town in range(1, spec["towns_per_county"] + 1):
                town_code = f"{county_code[:6]}{town:03d}000"
                regions.append([town_code, f"镇{town_code}", "town", county_code])
                towns.append(town_code)
    villages = [
        f"{towns[index % len(towns)][:9]}{1 + index // len(towns):03d}" for index in range(spec["villages"])
    ]
    regions += [[code, f"村{code}", "village", code[:9] + "000"] for code in villages]
    write(folder / "regions.csv", ["code", "name", "level", "parent_code"], regions)
    write(folder / "departments.csv", departments[0], departments[1:])
    subjects = [[f"V{code}", f"村{code}", "village", "", code, "", "2021-01-01"] for code in villages]
    for number in range(spec["units"]):
        village = rng.choice(villages)
        subjects.append(
            [
                f"U{number:07d}",
                f"单位{number}",
                "enterprise",
                rng.choice(CATEGORIES),
                village,
                f"{village[:6]}D{rng.randrange(20):02d}",
                "2021-01-01",
            ]
        )
    write(folder / "subjects.csv", SUBJECT_HEADER, subjects)
    write(folder / "events.csv", EVENT_HEADER, events(rng, [row[0] for row in subjects], spec["events"]))


def generate(tier: str) -> Path:
    folder = OUT / tier
    if (folder / "events.csv").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    (tier_s if tier == "S" else tier_m)(folder, random.Random(20251))
    return folder


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--tier", choices=list(TIERS), default="S")
    print(generate(parser.parse_args().tier))
