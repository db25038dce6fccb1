"""The fixes of the review of issue 15 beyond the reviewer's own tests: the bound on 走访人次 everywhere a
visit is written (form, bulk write, importer), the earliest date on edits, and a second dispute."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from sanling.visits.models import PERSONS_MET_MAX, HouseholdVisit
from sanling.visits.services import (
    household_visit_create,
    household_visit_update,
    household_visits_bulk_create,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


def _visit(personas, scopes, **overrides):
    arguments = {
        "scope": scopes["grid_a"],
        "region": personas["grid"],
        "household": "3栋2单元401",
        "visited_on": DAY,
        "theme": "six_promotions",
        "persons_met": 2,
    }
    return household_visit_create(**(arguments | overrides))


def test_a_visit_may_meet_as_many_as_the_bound(personas, scopes):
    assert _visit(personas, scopes, persons_met=PERSONS_MET_MAX).persons_met == PERSONS_MET_MAX


def test_one_person_too_many_is_refused_in_chinese(personas, scopes):
    with override_settings(LANGUAGE_CODE="zh-hans"), pytest.raises(ValidationError) as refused:
        _visit(personas, scopes, persons_met=PERSONS_MET_MAX + 1)
    assert "最多" in refused.value.message_dict["persons_met"][0]


def test_an_edit_cannot_move_a_visit_before_the_earliest_year(personas, scopes):
    visit = _visit(personas, scopes)
    with pytest.raises(ValidationError) as refused:
        household_visit_update(
            scope=scopes["grid_a"], visit=visit, version=visit.version, visited_on=datetime.date(1990, 1, 1)
        )
    assert "visited_on" in refused.value.message_dict
    assert HouseholdVisit.objects.get(pk=visit.pk).visited_on == DAY


@pytest.mark.parametrize("row", [{"persons_met": 100000}, {"visited_on": datetime.date(1990, 1, 1)}])
def test_a_bulk_row_the_bundle_would_refuse_is_refused(personas, scopes, row):
    base = {"region": personas["grid"], "household": "1号", "visited_on": DAY, "theme": "six_promotions"}
    with pytest.raises(ValidationError):
        household_visits_bulk_create(scope=scopes["town_a"], rows=[base | row], note="test")
    assert not HouseholdVisit.objects.exists()


def test_the_visit_form_refuses_too_many_people_in_chinese(client, personas):
    client.force_login(personas["grid_a"])
    answer = client.post(
        reverse("visits:create"),
        {
            "region": personas["grid"].code,
            "household": "3栋2单元401",
            "visited_on": DAY.isoformat(),
            "theme": "six_promotions",
            "persons_met": "100000",
        },
    )
    assert answer.status_code == 400
    assert "最多" in answer.content.decode()
    assert not HouseholdVisit.objects.exists()


def test_a_second_dispute_from_one_visit_says_which_one_is_open(client, personas, scopes):
    """Review: a second POST to /visits/<ref>/dispute/ answered 400 with nothing on the page to say why."""
    visit = _visit(personas, scopes, region=personas["jinniu"], scope=scopes["town_a"])
    client.force_login(personas["town_a"])
    url = reverse("visits:dispute", args=[visit.ref])
    assert client.post(url, {"subject_code": "V1", "summary": "宅基地纠纷"}).status_code == 302
    dispute = HouseholdVisit.objects.get(pk=visit.pk).dispute
    again = client.post(url, {"subject_code": "V1", "summary": "宅基地纠纷"})
    assert again.status_code == 400
    content = again.content.decode()
    assert "这次走访已登记过纠纷" in content
    assert dispute.ref in content
