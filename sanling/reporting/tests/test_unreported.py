"""unreported: per duty and period, who reported nothing and what they missed; scope of page and API."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from sanling.accounts.scope import scope_for
from sanling.assessment.periods import Period
from sanling.reporting.models import ReportingDuty
from sanling.reporting.selectors import unreported, windows
from sanling.reporting.services import duties_install_defaults, duty_create

pytestmark = pytest.mark.django_db

MARCH = Period.month(2025, 3)


def visit(world, region, day):
    from sanling.visits.services import household_visit_create

    user = world["town_a"] if region.path.startswith(world["shabei"].path) else world["town_b"]
    return household_visit_create(
        scope=scope_for(user), region=region, household="1号", visited_on=day, theme="six_promotions"
    )


def by_code(rows):
    return {row.code: row.missing for row in rows}


def test_a_village_without_visits_in_the_month_is_listed_with_what_it_missed(personas):
    duty_create(county=personas["county"], level="village", source="visits", frequency="month")
    visit(personas, personas["jinniu"], datetime.date(2025, 3, 12))
    rows = by_code(unreported(region=personas["county"], period=MARCH))
    assert rows == {"411103100201": ["2025年3月无入户走访记录"]}


def test_a_weekly_duty_lists_each_week_without_a_record(personas):
    from sanling.meetings.services import meeting_create

    duty_create(county=personas["county"], level="village", source="meetings", frequency="week")
    meeting_create(region=personas["jinniu"], kind="推进会", held_on=datetime.date(2025, 3, 5))
    meeting_create(region=personas["dongwan"], kind="推进会", held_on=datetime.date(2025, 3, 5))
    meeting_create(region=personas["dongwan"], kind="推进会", held_on=datetime.date(2025, 3, 12))
    rows = by_code(unreported(region=personas["county"], period=MARCH))
    # weeks ending in March 2025: 2 (Feb 24 – Mar 2), 9, 16, 23, 30
    assert rows["411103001001"] == [
        "2025年第9周无议事会议记录",
        "2025年第11周无议事会议记录",
        "2025年第12周无议事会议记录",
        "2025年第13周无议事会议记录",
    ]
    assert "2025年第11周无议事会议记录" not in rows["411103100201"]


def test_a_department_without_inspections_is_listed_and_one_with_them_is_not(personas):
    from sanling.hazards.services import inspection_create

    duty_create(county=personas["county"], level="department", source="hazard_inspections", frequency="month")
    inspection_create(
        subject=personas["school"],
        inspected_on=datetime.date(2025, 3, 4),
        inspection_type="消防",
        by_kind="town",
    )
    rows = by_code(unreported(region=personas["county"], period=MARCH))
    assert rows == {"YJ": ["2025年3月无隐患排查记录"]}


def test_assignments_not_fed_back_by_their_deadline_count_against_the_town(casework, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanling.assignments.services import assignment_create, assignment_feedback

    settings.ATTACHMENT_DIR = tmp_path
    duty_create(county=casework["county"], level="town", source="assignment_feedback", frequency="week")
    for organisation, issue in (("org_shangqiao", "商桥交办"), ("org_shabei", "沙北交办")):
        assignment = assignment_create(
            giver_region=casework["county"],
            organisation=casework[organisation],
            issue=issue,
            given_on=datetime.date(2025, 3, 3),
            due_on=datetime.date(2025, 3, 7),
        )
    assignment_feedback(
        assignment=assignment,
        user=casework["town_a"],
        text="已办",
        evidence=[SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)],
        on=datetime.date(2025, 3, 6),
    )
    rows = by_code(unreported(region=casework["county"], period=MARCH))
    assert rows == {"411103100000": ["2025年第10周有1件交办未按期反馈"]}


def test_a_window_still_running_is_not_yet_due():
    today = datetime.date(2025, 3, 20)
    assert windows("month", MARCH, today) == []
    assert [window.label for window in windows("week", MARCH, today)] == [
        "2025年第9周",
        "2025年第10周",
        "2025年第11周",
    ]
    assert [
        window.label for window in windows("quarter", Period.quarter(2025, 1), datetime.date(2025, 4, 1))
    ] == ["2025年第1季度"]


def test_without_duties_nobody_is_listed(personas):
    assert unreported(region=personas["county"], period=MARCH) == []


def test_a_town_user_sees_only_its_own_villages_and_no_departments(personas):
    duties_install_defaults(county=personas["county"])
    rows = by_code(unreported(region=personas["county"], period=MARCH, scope=scope_for(personas["town_a"])))
    assert set(rows) <= {"411103001000", "411103001001"} and "411103001001" in rows
    rows = by_code(unreported(region=personas["county"], period=MARCH, scope=scope_for(personas["dept"])))
    assert set(rows) <= {"JY"}


def test_departments_do_not_report_visits(personas):
    with pytest.raises(ValidationError):
        duty_create(county=personas["county"], level="department", source="visits", frequency="month")
    assert not ReportingDuty.objects.exists()


def test_only_the_county_administrator_edits_the_duties(personas, client):
    with pytest.raises(PermissionDenied):
        duty_create(
            county=personas["county"],
            level="village",
            source="visits",
            frequency="month",
            scope=scope_for(personas["town_a"]),
        )
    client.force_login(personas["town_a"])
    assert client.post(reverse("reporting:duty_add"), {"level": "village"}).status_code == 403
    client.force_login(personas["admin_user"])
    response = client.post(
        reverse("reporting:duty_add"), {"level": "village", "source": "visits", "frequency": "month"}
    )
    assert response.status_code == 302
    assert ReportingDuty.objects.get().source == "visits"
    response = client.post(
        reverse("reporting:duty_add"), {"level": "department", "source": "meetings", "frequency": "month"}
    )
    assert response.status_code == 400 and ReportingDuty.objects.count() == 1


def test_the_page_and_the_api_list_only_the_users_area(personas, client, api_as):
    duties_install_defaults(county=personas["county"])
    client.force_login(personas["town_a"])
    page = client.get(reverse("reporting:list"), {"period": "2025-03"}).content.decode()
    assert "金牛社区" in page and "东湾" not in page and "商桥" not in page
    assert client.get(reverse("reporting:list"), {"region": "411103100000"}).status_code == 400
    api = api_as(personas["town_a"])
    rows = api.get("/api/v1/unreported/", {"period": "2025-03"}).json()
    assert {row["code"] for row in rows} <= {"411103001000", "411103001001"} and rows
    assert api.get("/api/v1/unreported/", {"region": "411103100000"}).status_code == 404
    assert api.get("/api/v1/unreported/", {"period": "2025Q9"}).status_code == 400
    county = api_as(personas["admin_user"]).get("/api/v1/unreported/", {"period": "2025-03"}).json()
    assert "411103100201" in {row["code"] for row in county}
