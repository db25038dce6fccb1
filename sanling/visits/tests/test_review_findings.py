"""Defects found in the review of issue 15 (grid fieldwork), written as the behaviour that should hold.
Each test fails on main at the time of the review."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.visits.models import HouseholdVisit
from sanling.visits.services import household_visit_create

pytestmark = pytest.mark.django_db


def test_one_household_visit_does_not_meet_a_hundred_thousand_people(personas, scopes):
    """Review: /visits/new/ as the demo's 网格员小王 saved 走访人次 100000 for one visit to 3栋2单元401, and the
    community's 走访人次 became 100006 (the county's ~127,000 would nearly double). A household visit meets
    a household's people; a mistyped number needs an upper bound and a Chinese error."""
    with pytest.raises(ValidationError):
        household_visit_create(
            scope=scopes["grid_a"],
            region=personas["grid"],
            household="3栋2单元401",
            visited_on=datetime.date(2025, 3, 3),
            theme="six_promotions",
            persons_met=100000,
        )
    assert not HouseholdVisit.objects.exists()


def test_a_visit_the_bundle_would_refuse_is_refused_when_recorded(personas, scopes):
    """Review: /visits/new/ saved a visit dated 1990-01-01; the county's own export then fails to re-import
    (“visits.csv 第 2 行 走访日期（visited_on）：日期 1990-01-01 早于 2015 年”): the web and API service
    does not apply the importer's earliest date, so an exported bundle no longer round-trips."""
    with pytest.raises(ValidationError):
        household_visit_create(
            scope=scopes["grid_a"],
            region=personas["grid"],
            household="3栋2单元401",
            visited_on=datetime.date(1990, 1, 1),
            theme="six_promotions",
            persons_met=2,
        )
    assert not HouseholdVisit.objects.exists()


def test_a_household_count_can_be_corrected_on_its_page(client, personas, scopes):
    """Review: every POST to /visits/households/<pk>/ (更正辖区户数), as county, 沙北 or the grid worker, is a
    400 “选择一个有效的选项：该选择不在可用的选项中。” on the region: the field is disabled, so the form takes its
    initial value, the instance's region *pk*, and looks it up by code (to_field_name="code")."""
    from django.urls import reverse

    from sanling.visits.models import HouseholdCount
    from sanling.visits.services import household_count_create

    count = household_count_create(
        scope=scopes["town_a"], region=personas["jinniu"], households=800, as_of=datetime.date(2025, 3, 3)
    )
    client.force_login(personas["town_a"])
    response = client.post(
        reverse("visits:household_edit", kwargs={"pk": count.pk}),
        {"version": count.version, "households": "812", "residents": "1700", "note": "核对"},
    )
    assert response.status_code == 302
    assert HouseholdCount.objects.get(pk=count.pk).households == 812
