from collections import Counter
from decimal import Decimal

import pytest

from sanling.assessment.periods import Period
from sanling.assessment.selectors import dispute_rate, region_rates
from sanling.demo.county import DEPARTMENTS, build_demo_county
from sanling.demo.services import demo_load
from sanling.regions.models import Region, RegionBoundary
from sanling.subjects.models import Subject


@pytest.fixture(scope="module")
def county():
    return build_demo_county()


def test_the_demo_county_has_the_seeds_numbers_of_subjects(county):
    kinds = Counter(row[2] for row in county.subjects)
    assert kinds["village"] + kinds["community"] == 183
    assert kinds["enterprise"] + kinds["institution"] == 7022


def test_the_demo_county_has_eleven_towns_and_twenty_departments(county):
    assert Counter(row[2] for row in county.regions)["town"] == 11
    assert len(county.departments) == len(DEPARTMENTS) == 20


def test_every_village_has_three_to_eight_grids(county):
    grids = Counter(row[3] for row in county.regions if row[2] == "grid")
    villages = [row[0] for row in county.regions if row[2] == "village"]
    assert all(3 <= grids[code] <= 8 for code in villages)


def test_the_demo_county_is_the_same_every_time(county):
    assert build_demo_county() == county
    assert build_demo_county(seed=7) != county


def test_the_map_outlines_every_town_and_village_by_code(county):
    mapped = {feature["properties"]["code"] for feature in county.features}
    expected = {row[0] for row in county.regions if row[2] in ("town", "village")}
    assert mapped == expected
    ring = county.features[0]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1]


def test_subject_names_are_unique(county):
    names = [row[1] for row in county.subjects]
    assert len(names) == len(set(names))


def test_the_demo_year_has_events_and_disputes(county):
    assert {row[3][:4] for row in county.events} == {"2025"}
    assert len(county.disputes) == 867


@pytest.mark.django_db(transaction=False)
def test_loading_the_demo_gives_the_seeds_rates_with_its_map(tmp_path):
    result = demo_load(folder=tmp_path, year=2025)
    assert result.files["subjects"].created == 7205
    assert Subject.objects.filter(kind__in=["enterprise", "institution"]).count() == 7022
    assert RegionBoundary.objects.count() == Region.objects.filter(level__in=["town", "village"]).count()
    village, unit = region_rates(region=Region.objects.get(code="411103000000"), period=Period.parse("2025"))
    assert (village.active, village.rate) == (183, Decimal("90.71"))
    assert (unit.active, unit.rate) == (7022, Decimal("97.71"))
    registered, resolved, rate = dispute_rate(
        region=Region.objects.get(code="411103000000"), period=Period.parse("2025")
    )
    assert registered == 867 and rate > 96
