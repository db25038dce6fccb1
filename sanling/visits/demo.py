"""The demo county's household visits (called by ``sanling.demo.fieldwork``): households counted in every
village, and a year of visits up to today, 六促六防 first among their themes.

Scale: the seeds' 郾城区 reports "共走访6万余户，累计走访13万余人次" over about two years; the demo county (183
villages and communities, about 110,000 households) visits roughly half of its households in one year, some
twice, meeting two people on average: a county total of the same order, written in bulk (``HOUSEHOLD_SHARE``
sets it) so the demo loads in seconds. The 网格员小王 demo login made the visits of his community, today's
among them. Loading twice adds nothing: the visits' refs are fixed and a county already visited is left alone.
"""

import datetime
import random
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.utils import timezone

from sanling.accounts.scope import EVERYTHING
from sanling.demo.county import COUNTY, _person
from sanling.regions.models import Region, subtree_q

from .models import HouseholdVisit
from .services import household_count_create, household_visits_bulk_create, visitor_post

HOUSEHOLD_SHARE = (0.4, 0.6)  # of a village's households visited in the year
REVISIT_SHARE = 0.2  # of the visited households seen a second time
# (theme code, weight): 六促六防 first, as the seeds run it "常态化".
THEMES = [
    ("six_promotions", 55),
    ("dispute_screening", 15),
    ("publicity", 10),
    ("policy_briefing", 8),
    ("legal_service", 5),
    ("festival_greeting", 5),
    ("other", 2),
]
PERSONS = [(1, 45), (2, 35), (3, 15), (4, 5)]  # people met on a visit
FINDINGS = ["邻里宅基地边界有争议", "楼道堆放杂物", "独居老人需要照看", "反映路灯不亮", "咨询医保缴费", ""]
GRID_WORKER = "grid"  # the demo login 网格员小王 (sanling.demo.services.DEMO_USERS)


def _households(village: Region, rng: random.Random, community: bool) -> int:
    return rng.randint(600, 1500) if community else rng.randint(300, 900)


def _house_number(rng: random.Random, community: bool, grid_number: int, number: int) -> str:
    if community:
        return f"{grid_number}栋{number % 4 + 1}单元{number // 4 + 101}"
    return f"{grid_number}组{number + 1}号"


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    root = Region.objects.filter(code=COUNTY[0]).first()
    if root is None or HouseholdVisit.objects.filter(subtree_q(root.path, via="region__")).exists():
        return
    rng = random.Random(15)
    villages = list(Region.objects.filter(subtree_q(root.path), level="village").order_by("code"))
    grids = defaultdict(list)
    for grid in Region.objects.filter(subtree_q(root.path), level="grid", parent__level="village").order_by(
        "code"
    ):
        grids[grid.parent_id].append(grid)
    communities = set(county_community_codes(county))
    worker = get_user_model().objects.filter(username=GRID_WORKER).first()
    worker_home = worker.profile.region_id if worker is not None and hasattr(worker, "profile") else None
    start = today - datetime.timedelta(days=364)
    counted_on = max(start, datetime.date(today.year, 1, 1) - datetime.timedelta(days=365))
    themes, theme_weights = zip(*THEMES, strict=True)
    persons, person_weights = zip(*PERSONS, strict=True)
    rows = []
    posts: dict[int, object] = {}  # place -> 小王's post covering it (grids' demo gives him one)

    def post_of(place: Region):
        if place.pk not in posts:
            posts[place.pk] = visitor_post(worker, place, today)
        return posts[place.pk]

    for village in villages:
        community = village.code in communities
        households = _households(village, rng, community)
        household_count_create(
            scope=EVERYTHING,
            region=village,
            households=households,
            residents=households * rng.randint(2, 4),
            as_of=counted_on,
        )
        places = grids.get(village.pk) or [village]
        visited = int(households * rng.uniform(*HOUSEHOLD_SHARE))
        numbers = rng.sample(range(households), visited)
        second = numbers[: int(visited * REVISIT_SHARE)]
        visitor = worker if village.pk == worker_home else None
        for serial, number in enumerate([*numbers, *second]):
            grid_number = number % len(places)
            place = places[grid_number]
            day = start + datetime.timedelta(days=rng.randrange(365))
            rows.append(
                {
                    "ref": f"HV{village.code}{serial:05d}",
                    "region": place,
                    "household": _house_number(rng, community, grid_number + 1, number // len(places)),
                    "visited_on": min(day, today),
                    "theme": rng.choices(themes, theme_weights)[0],
                    "persons_met": rng.choices(persons, person_weights)[0],
                    "visitor": visitor,
                    "post": post_of(place) if visitor else None,
                    "visitor_name": "网格员小王" if visitor else _person(rng),
                    "findings": rng.choice(FINDINGS) if rng.random() < 0.1 else "",
                }
            )
        if visitor is not None:  # his day: three households already seen this morning
            for extra in range(3):
                rows.append(
                    {
                        "ref": f"HV{village.code}T{extra}",
                        "region": places[0],
                        "household": _house_number(rng, community, 1, extra),
                        "visited_on": today,
                        "theme": "six_promotions",
                        "persons_met": 2,
                        "visitor": visitor,
                        "post": post_of(places[0]),
                        "visitor_name": "网格员小王",
                    }
                )
    household_visits_bulk_create(
        scope=EVERYTHING, rows=rows, note="演示数据：一年的入户走访", today=today or timezone.localdate()
    )


def county_community_codes(county) -> list[str]:
    """Codes of the demo county's communities (社区): their subjects are of kind ``community``."""
    return [row[4] for row in county.subjects if row[2] == "community"]
