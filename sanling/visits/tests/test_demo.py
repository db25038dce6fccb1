"""The demo's visits: counts for every village, a year of visits up to today, 六促六防 first, written in
bulk (audited per batch), and loading twice adds nothing."""

import datetime
from types import SimpleNamespace

import pytest
from django.db.models import Count
from django.utils import timezone

from sanling.assessment.periods import Period
from sanling.audit.models import AuditEntry
from sanling.visits.demo import demo_load
from sanling.visits.figures import household_visit_figures
from sanling.visits.models import HouseholdCount, HouseholdVisit

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(personas):
    today = timezone.localdate()
    demo_load(
        county=SimpleNamespace(subjects=[["V1", "金牛社区", "community", "", "411103001001"]]), today=today
    )
    return today


def test_every_village_has_its_households_counted(personas, loaded):
    assert set(HouseholdCount.objects.values_list("region__code", flat=True)) == {
        "411103001001",
        "411103100201",
    }


def test_a_year_of_visits_covers_about_half_of_the_households(personas, loaded):
    year = Period(loaded - datetime.timedelta(days=364), loaded, "year-to-today", "year")
    figures = household_visit_figures(region=personas["county"], period=year)
    assert 40 <= figures.coverage_rate <= 60
    assert figures.person_visits > figures.visits > figures.households_visited
    assert not HouseholdVisit.objects.filter(visited_on__gt=loaded).exists()


def test_six_promotions_is_the_commonest_theme(personas, loaded):
    themes = HouseholdVisit.objects.values("theme").annotate(n=Count("pk")).order_by("-n")
    assert themes[0]["theme"] == "six_promotions"


def test_the_visits_are_audited_per_batch_not_per_row(personas, loaded):
    visits = HouseholdVisit.objects.count()
    entries = AuditEntry.objects.filter(object_type="householdvisit", verb="import.applied").count()
    assert 1 <= entries <= visits // 5000 + 2


def test_loading_twice_adds_nothing(personas, loaded):
    before = HouseholdVisit.objects.count()
    demo_load(county=SimpleNamespace(subjects=[]), today=loaded)
    assert HouseholdVisit.objects.count() == before
