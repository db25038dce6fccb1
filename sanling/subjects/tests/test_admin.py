"""The Django admin changes subjects only through the subject services (as a superuser at /admin/)."""

import datetime

import pytest

from sanling.assessment.services import assessment_check, assessment_year_open
from sanling.audit.models import AuditEntry
from sanling.events.services import event_create
from sanling.subjects.models import Subject, SubjectPlacement
from sanling.subjects.services import subject_create

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/subjects/subject/add/"


def unit_form(county, education, **changes):
    data = {
        "code": "U7",
        "name": "郾城区第二小学",
        "kind": "institution",
        "category": "school",
        "region": county["shabei"].pk,
        "department": education.pk,
        "uscc": "",
        "address": "",
        "contact_name": "",
        "contact_phone": "",
        "joined_on": "2025-01-01",
        "retired_on": "",
    }
    return data | changes


@pytest.fixture
def unit(county, education):
    return subject_create(
        code="U7",
        name="郾城区第二小学",
        kind="institution",
        category="school",
        region=county["shabei"],
        department=education,
        joined_on=datetime.date(2025, 1, 1),
    )


def change_url(subject):
    return f"/admin/subjects/subject/{subject.pk}/change/"


def change_form(subject, county, education, **changes):
    return unit_form(county, education, loaded_version=subject.version, moved_on="", correction="") | changes


def test_adding_a_subject_in_the_admin_places_it_audits_it_and_counts_it(admin_client, county, education):
    assessment_year_open(year=2025)
    response = admin_client.post(ADD_URL, unit_form(county, education))
    assert response.status_code == 302
    subject = Subject.objects.get(code="U7")
    assert SubjectPlacement.objects.filter(subject=subject, valid_to__isnull=True).exists()
    assert AuditEntry.objects.filter(object_type="subject", object_key="U7", action="create").exists()
    assert assessment_check() == []


def test_a_subject_refused_by_the_rules_shows_the_chinese_message_on_the_admin_form(
    admin_client, county, education
):
    response = admin_client.post(ADD_URL, unit_form(county, education, department=""))
    assert response.status_code == 200
    assert "企事业单位必须填写主管部门。" in response.content.decode()
    assert not Subject.objects.filter(code="U7").exists()


def test_moving_a_subject_in_the_admin_is_a_move_on_the_given_date(admin_client, county, education, unit):
    assessment_year_open(year=2025)
    response = admin_client.post(
        change_url(unit),
        change_form(unit, county, education, region=county["shangqiao"].pk, moved_on="2025-06-01"),
    )
    assert response.status_code == 302
    placements = list(SubjectPlacement.objects.filter(subject=unit).order_by("pk"))
    assert [(p.region_id, p.valid_to) for p in placements] == [
        (county["shabei"].pk, datetime.date(2025, 6, 1)),
        (county["shangqiao"].pk, None),
    ]
    assert AuditEntry.objects.filter(object_type="subject", object_key="U7", action="update").exists()
    assert assessment_check() == []


def test_an_admin_edit_over_someone_elses_save_is_refused_with_the_conflict_message(
    admin_client, county, education, unit
):
    stale = unit.version
    admin_client.post(change_url(unit), change_form(unit, county, education, name="第二小学"))
    response = admin_client.post(
        change_url(unit), change_form(unit, county, education, name="二小", loaded_version=stale)
    )
    assert response.status_code == 200
    assert "他人已修改了这条记录" in response.content.decode()
    unit.refresh_from_db()
    assert unit.name == "第二小学"


def test_deleting_a_subject_in_the_admin_goes_through_subject_delete(admin_client, county, education, unit):
    response = admin_client.post(f"/admin/subjects/subject/{unit.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Subject.objects.filter(pk=unit.pk).exists()
    assert AuditEntry.objects.filter(object_type="subject", object_key="U7", action="delete").exists()


def test_the_admin_does_not_delete_a_subject_with_events(admin_client, county, education, unit):
    event_create(
        subject=unit,
        type="accident",
        occurred_on=datetime.date(2025, 3, 1),
        title="事故",
        accident_grade="general",
    )
    response = admin_client.post(f"/admin/subjects/subject/{unit.pk}/delete/", {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert Subject.objects.filter(pk=unit.pk).exists()
    assert not AuditEntry.objects.filter(action="delete").exists()


def test_bulk_deleting_subjects_in_the_admin_deletes_each_through_subject_delete(
    admin_client, county, education, unit
):
    other = subject_create(
        code="V3",
        name="金牛社区",
        kind="community",
        region=county["jinniu"],
        joined_on=datetime.date(2025, 1, 1),
    )
    response = admin_client.post(
        "/admin/subjects/subject/",
        {"action": "delete_selected", "_selected_action": [unit.pk, other.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Subject.objects.filter(pk__in=[unit.pk, other.pk]).exists()
    assert set(AuditEntry.objects.filter(action="delete").values_list("object_key", flat=True)) == {
        "U7",
        "V3",
    }


def test_the_admins_subject_pages_open_with_the_loaded_version(admin_client, unit):
    assert admin_client.get("/admin/subjects/subject/").status_code == 200
    assert admin_client.get(ADD_URL).status_code == 200
    page = admin_client.get(change_url(unit)).content.decode()
    assert f'name="loaded_version" value="{unit.version}"' in page
