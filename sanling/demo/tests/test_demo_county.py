from collections import Counter

import pytest

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


@pytest.mark.django_db(transaction=False)
def test_loading_the_demo_imports_everything_with_its_map(tmp_path):
    result = demo_load(folder=tmp_path)
    assert result.files["subjects"].created == 7205
    assert Subject.objects.filter(kind__in=["enterprise", "institution"]).count() == 7022
    assert RegionBoundary.objects.count() == Region.objects.filter(level__in=["town", "village"]).count()
