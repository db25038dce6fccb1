"""The demo county's targets (issue 16): the seeds' 达标率 targets for the county, this year and last —
山西: "力争到2022年，全省零上访、零事故、零案件的村（社区）达到80%以上，企业和单位达到90%以上" — and the county's own
for 化解率, 整改率 and the key persons' visit completion (the seeds name those figures without a number: the
numbers are ours). 城关镇 sets itself a higher 村社区 target this year, to show a town overriding the county.
"""

import datetime

from sanling.demo.county import COUNTY
from sanling.regions.models import Region

from .services import target_set

SEED_NOTE = "山西：力争到2022年村（社区）达到80%以上，企业和单位达到90%以上"
# (indicator, group, value, note): set at the county for last year and this year.
COUNTY_TARGETS = [
    ("rate", "village", "80", SEED_NOTE),
    ("rate", "unit", "90", SEED_NOTE),
    ("dispute_resolution", "", "90", "县定：矛盾纠纷化解率"),
    ("hazard_rectification", "", "95", "县定：隐患整改率"),
    ("visit_completion", "", "95", "县定：重点人群回访完成率"),
]
OVERRIDE_TOWN = "城关镇"
OVERRIDE = ("rate", "village", "85", "城关镇自加压力：村（社区）达标率85%")


def demo_load(*, county, today: datetime.date) -> None:
    region = Region.objects.get(code=COUNTY[0])
    for year in (today.year - 1, today.year):
        for indicator, group, value, note in COUNTY_TARGETS:
            target_set(year=year, region=region, group=group, indicator=indicator, value=value, note=note)
    town = Region.objects.filter(parent=region, name=OVERRIDE_TOWN).first()
    if town is not None:
        indicator, group, value, note = OVERRIDE
        target_set(year=today.year, region=town, group=group, indicator=indicator, value=value, note=note)
