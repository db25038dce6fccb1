"""Recording household visits and counts: scope, dates, persons met, versions, disputes from findings."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanling.audit.models import AuditEntry
from sanling.core.concurrency import StaleVersion
from sanling.visits.models import HouseholdCount, HouseholdVisit, normalise_household
from sanling.visits.services import (
    household_count_create,
    household_count_update,
    household_visit_create,
    household_visit_delete,
    household_visit_open_dispute,
    household_visit_update,
    household_visits_bulk_create,
)

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


def visit(scope, region, **extra):
    fields = {"household": "3组12号", "visited_on": DAY, "theme": "six_promotions", "persons_met": 2}
    return household_visit_create(scope=scope, region=region, **(fields | extra))


def test_it_records_a_visit_with_its_normalised_household(personas, scopes):
    recorded = visit(scopes["grid_a"], personas["grid"], household=" ３组 12号 ", visitor=personas["grid_a"])
    assert recorded.household == "3组12号"
    assert recorded.household_key == "411103001001001:3组12号"
    assert recorded.visitor_name == "grid_a"
    assert AuditEntry.objects.filter(object_type="householdvisit", object_key=recorded.ref).exists()


def test_it_normalises_house_numbers_to_one_spelling():
    assert normalise_household("A栋 ２０１") == normalise_household("a栋201")
    assert normalise_household("5－3") == "5-3"


def test_it_refuses_a_region_outside_the_writers_area_in_chinese(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        visit(scopes["town_a"], personas["dongwan"])
    assert "东湾村" in refused.value.message_dict["region"][0]
    assert "外" in refused.value.message_dict["region"][0]
    assert not HouseholdVisit.objects.exists()


def test_a_department_user_records_no_household_visit(personas, scopes):
    with pytest.raises(ValidationError):
        visit(scopes["dept"], personas["jinniu"])


def test_a_viewer_records_no_household_visit(personas, scopes):
    with pytest.raises(ValidationError):
        visit(scopes["viewer"], personas["jinniu"])


def test_a_household_stands_in_a_village_grid_or_building_not_a_town(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        visit(scopes["town_a"], personas["shabei"])
    assert "region" in refused.value.message_dict


def test_it_refuses_a_visit_in_the_future(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        visit(
            scopes["town_a"], personas["jinniu"], visited_on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert "visited_on" in refused.value.message_dict


def test_a_visit_meets_at_least_one_person(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        visit(scopes["town_a"], personas["jinniu"], persons_met=0)
    assert "persons_met" in refused.value.message_dict


def test_the_theme_comes_from_the_visit_theme_list(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        visit(scopes["town_a"], personas["jinniu"], theme="made_up")
    assert "theme" in refused.value.message_dict


def test_an_edit_names_the_version_it_was_loaded_at(personas, scopes):
    recorded = visit(scopes["town_a"], personas["jinniu"])
    edited = household_visit_update(scope=scopes["town_a"], visit=recorded, version=1, persons_met=4)
    assert (edited.persons_met, edited.version) == (4, 2)
    with pytest.raises(StaleVersion):
        household_visit_update(scope=scopes["town_a"], visit=recorded, version=1, persons_met=5)
    assert HouseholdVisit.objects.get().persons_met == 4


def test_an_edit_cannot_move_a_visit_out_of_the_area(personas, scopes):
    recorded = visit(scopes["town_a"], personas["jinniu"])
    with pytest.raises(ValidationError):
        household_visit_update(scope=scopes["town_a"], visit=recorded, version=1, region=personas["dongwan"])


def test_another_town_cannot_edit_or_delete_a_visit(personas, scopes):
    recorded = visit(scopes["town_a"], personas["jinniu"])
    with pytest.raises(ValidationError):
        household_visit_update(scope=scopes["town_b"], visit=recorded, version=1, persons_met=3)
    with pytest.raises(ValidationError):
        household_visit_delete(scope=scopes["town_b"], visit=recorded, version=1)
    assert HouseholdVisit.objects.filter(persons_met=2).exists()


def test_a_finding_opens_a_dispute(personas, scopes):
    """郾城区: the visits "排查各类矛盾纠纷867起" — a finding becomes a dispute of the casework."""
    recorded = visit(scopes["town_a"], personas["jinniu"], findings="邻里宅基地纠纷")
    dispute = household_visit_open_dispute(
        scope=scopes["town_a"], visit=recorded, subject=personas["jinniu_village"], summary="宅基地纠纷"
    )
    assert dispute.reported_on == DAY and dispute.case is not None
    assert HouseholdVisit.objects.get().dispute == dispute


def test_a_dispute_is_not_opened_twice_from_one_visit(personas, scopes):
    recorded = visit(scopes["town_a"], personas["jinniu"])
    household_visit_open_dispute(
        scope=scopes["town_a"], visit=recorded, subject=personas["jinniu_village"], summary="纠纷"
    )
    with pytest.raises(ValidationError):
        household_visit_open_dispute(
            scope=scopes["town_a"], visit=recorded, subject=personas["jinniu_village"], summary="纠纷"
        )


def test_a_dispute_from_a_visit_must_name_a_subject_in_scope(personas, scopes):
    recorded = visit(scopes["town_a"], personas["jinniu"])
    with pytest.raises(ValidationError) as refused:
        household_visit_open_dispute(
            scope=scopes["town_a"], visit=recorded, subject=personas["dongwan_village"], summary="纠纷"
        )
    assert "subject" in refused.value.message_dict


def test_a_count_is_entered_once_a_day_and_corrected_with_its_version(personas, scopes):
    count = household_count_create(
        scope=scopes["town_a"], region=personas["jinniu"], households=800, as_of=DAY
    )
    with pytest.raises(ValidationError) as refused:
        household_count_create(scope=scopes["town_a"], region=personas["jinniu"], households=900, as_of=DAY)
    assert "as_of" in refused.value.message_dict
    household_count_update(scope=scopes["town_a"], count=count, version=1, households=810)
    with pytest.raises(StaleVersion):
        household_count_update(scope=scopes["town_a"], count=count, version=1, households=820)
    assert HouseholdCount.objects.get().households == 810


def test_a_count_outside_the_area_is_refused(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        household_count_create(scope=scopes["town_a"], region=personas["dongwan"], households=500, as_of=DAY)
    assert "region" in refused.value.message_dict


def test_fewer_residents_than_households_is_refused(personas, scopes):
    with pytest.raises(ValidationError) as refused:
        household_count_create(
            scope=scopes["town_a"], region=personas["jinniu"], households=500, residents=400, as_of=DAY
        )
    assert "residents" in refused.value.message_dict


def test_the_bulk_writer_checks_every_row_before_writing(personas, scopes):
    rows = [
        {"region": personas["jinniu"], "household": "1号", "visited_on": DAY, "theme": "six_promotions"},
        {"region": personas["dongwan"], "household": "2号", "visited_on": DAY, "theme": "six_promotions"},
    ]
    with pytest.raises(ValidationError) as refused:
        household_visits_bulk_create(scope=scopes["town_a"], rows=rows, note="test")
    assert "2" in refused.value.messages[0]
    assert not HouseholdVisit.objects.exists()


def test_the_bulk_writer_audits_once_per_batch(personas, scopes):
    rows = [
        {"region": personas["jinniu"], "household": f"{n}号", "visited_on": DAY, "theme": "publicity"}
        for n in range(30)
    ]
    before = AuditEntry.objects.count()
    assert household_visits_bulk_create(scope=scopes["town_a"], rows=rows, note="test") == 30
    assert HouseholdVisit.objects.count() == 30
    assert AuditEntry.objects.filter(verb="import.applied", object_type="householdvisit").count() == 1
    assert AuditEntry.objects.count() - before <= 2  # the batch's entry (and a chain opened, if new)


def test_a_visit_is_made_in_the_visitors_own_post_covering_the_place(personas, scopes):
    from sanling.grids.services import post_create

    post = post_create(
        region=personas["grid"],
        post_type="grid_member",
        holder_name="小王",
        started_on=datetime.date(2024, 1, 1),
        user=personas["grid_a"],
    )
    recorded = visit(scopes["grid_a"], personas["grid"], visitor=personas["grid_a"])
    assert recorded.post == post
    elsewhere = visit(scopes["grid_a"], personas["jinniu"], visitor=personas["grid_a"], household="9号")
    assert elsewhere.post is None  # the village is not inside his grid


def test_a_post_of_another_town_is_refused(personas, scopes):
    from sanling.grids.services import post_create

    post = post_create(
        region=personas["dongwan"],
        post_type="grid_member",
        holder_name="老李",
        started_on=datetime.date(2024, 1, 1),
    )
    with pytest.raises(ValidationError) as refused:
        visit(scopes["town_a"], personas["jinniu"], post=post)
    assert "post" in refused.value.message_dict
