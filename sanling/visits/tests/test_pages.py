"""The 走访 pages: list with totals and breakdown, recording at 375 px, counts, the 走访台账."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.jobs.models import JobStatus
from sanling.jobs.services import job_file
from sanling.visits.models import HouseholdCount, HouseholdVisit
from sanling.visits.services import household_count_create, household_visit_create

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


@pytest.fixture
def visits(personas, scopes):
    made = []
    for region, scope, house, theme, persons in (
        (personas["jinniu"], scopes["town_a"], "1号", "six_promotions", 2),
        (personas["grid"], scopes["town_a"], "2号", "publicity", 3),
        (personas["jinniu"], scopes["town_a"], "1号", "six_promotions", 1),
        (personas["dongwan"], scopes["town_b"], "9号", "six_promotions", 4),
    ):
        made.append(
            household_visit_create(
                scope=scope, region=region, household=house, visited_on=DAY, theme=theme, persons_met=persons
            )
        )
    household_count_create(scope=scopes["town_a"], region=personas["jinniu"], households=8, as_of=DAY)
    return made


def test_the_list_shows_the_totals_of_the_filtered_rows(client, personas, visits):
    client.force_login(personas["town_a"])
    page = client.get(reverse("visits:list"), {"period": "2025"}).content.decode()
    assert "东湾" not in page and "商桥" not in page
    totals = page.split('id="visit-totals"')[1].split("</div>\n</div>")[0]
    assert "<strong>2</strong>" in totals  # households 1号 and 2号
    assert "<strong>6</strong>" in totals  # 人次 2 + 3 + 1
    assert "25.00%" in totals  # 2 of 8


def test_the_list_filters_by_theme(client, personas, visits):
    client.force_login(personas["town_a"])
    page = client.get(reverse("visits:list"), {"theme": "publicity"})
    assert page.context["page"].paginator.count == 1


def test_a_region_filter_outside_the_area_is_a_chinese_error(client, personas, visits):
    client.force_login(personas["town_a"])
    answer = client.get(reverse("visits:list"), {"region": personas["dongwan"].code})
    assert answer.status_code == 400
    assert "您的辖区内没有该编码" in answer.content.decode()


def test_the_breakdown_links_each_child_region(client, personas, visits):
    client.force_login(personas["admin_user"])
    page = client.get(reverse("visits:list"), {"period": "2025"}).content.decode()
    breakdown = page.split('id="visit-breakdown"')[1].split("</table>")[0]
    assert "沙北街道" in breakdown and "商桥镇" in breakdown
    assert f"region={personas['shabei'].code}" in breakdown


def test_a_grid_worker_records_a_visit_and_gets_the_form_again(client, personas):
    client.force_login(personas["grid_a"])
    form = client.get(reverse("visits:create"))
    assert form.status_code == 200
    assert f'value="{personas["jinniu"].code}" selected' in form.content.decode()
    answer = client.post(
        reverse("visits:create"),
        {
            "region": personas["grid"].code,
            "household": "7号",
            "visited_on": "2025-03-03",
            "theme": "six_promotions",
            "persons_met": "2",
        },
    )
    assert answer.status_code == 302
    assert "theme=six_promotions" in answer["Location"]
    assert HouseholdVisit.objects.get().visitor == personas["grid_a"]


def test_a_refused_visit_keeps_what_was_typed(client, personas):
    client.force_login(personas["grid_a"])
    answer = client.post(
        reverse("visits:create"),
        {
            "region": personas["jinniu"].code,
            "household": "7号",
            "visited_on": "2099-03-03",
            "theme": "six_promotions",
            "persons_met": "0",
            "findings": "屋顶漏雨",
        },
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "屋顶漏雨" in page and 'value="7号"' in page
    assert not HouseholdVisit.objects.exists()


def test_the_form_is_phone_first(client, personas):
    client.force_login(personas["grid_a"])
    page = client.get(reverse("visits:create")).content.decode()
    assert 'name="viewport"' in page
    assert 'inputmode="numeric"' in page
    assert 'class="big"' in page and "css/visits.css" in page


def test_a_department_user_may_not_record_visits(client, personas):
    client.force_login(personas["dept"])
    assert client.get(reverse("visits:create")).status_code == 403


def test_an_edit_with_a_stale_version_is_a_conflict(client, personas, visits):
    client.force_login(personas["town_a"])
    url = reverse("visits:edit", args=[visits[0].ref])
    data = {
        "region": personas["jinniu"].code,
        "household": "1号",
        "visited_on": "2025-03-03",
        "theme": "six_promotions",
        "persons_met": "5",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data | {"persons_met": "6"}).status_code == 409
    assert HouseholdVisit.objects.get(pk=visits[0].pk).persons_met == 5


def test_a_finding_opens_a_dispute_from_the_page(client, personas, visits):
    client.force_login(personas["town_a"])
    answer = client.post(
        reverse("visits:dispute", args=[visits[0].ref]), {"subject_code": "V1", "summary": "宅基地纠纷"}
    )
    assert answer.status_code == 302
    assert HouseholdVisit.objects.get(pk=visits[0].pk).dispute is not None


def test_a_town_operator_enters_a_village_count(client, personas):
    client.force_login(personas["town_a"])
    page = client.get(reverse("visits:households"))
    assert "金牛社区" in page.content.decode()
    answer = client.post(
        reverse("visits:households"),
        {"region": personas["jinniu"].code, "households": "900", "as_of": "2025-03-03"},
    )
    assert answer.status_code == 302
    assert HouseholdCount.objects.get().households == 900
    again = client.post(
        reverse("visits:households"),
        {"region": personas["jinniu"].code, "households": "901", "as_of": "2025-03-03"},
    )
    assert again.status_code == 400 and 'value="901"' in again.content.decode()


def test_the_ledger_holds_exactly_the_filtered_rows(client, personas, visits):
    client.force_login(personas["town_a"])
    answer = client.get(reverse("visits:export"), {"theme": "six_promotions"})
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content))["走访台账"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "走访日期", "属地")
    assert sorted(row[0] for row in rows[1:]) == sorted([visits[0].ref, visits[2].ref])
    assert {row[5] for row in rows[1:]} == {"六促六防"}
    assert (
        AuditEntry.objects.filter(verb="export.bundle").exists()
        or AuditEntry.objects.filter(object_type="export").exists()
    )


def test_the_ledger_refuses_a_bad_filter(client, personas, visits):
    client.force_login(personas["town_a"])
    assert client.get(reverse("visits:export"), {"period": "2025Q9"}).status_code == 400


def test_the_ledger_runs_as_a_background_job_with_the_same_rows(client, personas, visits, settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"
    client.force_login(personas["town_a"])
    job = client.post(reverse("visits:export_job"), {"query": "theme=six_promotions"}, follow=True).context[
        "job"
    ]
    assert job.status == JobStatus.SUCCEEDED, job.message
    sheet = load_workbook(io.BytesIO(job_file(job).read_bytes()))["走访台账"]
    assert sorted(row[0] for row in list(sheet.iter_rows(values_only=True))[1:]) == sorted(
        [visits[0].ref, visits[2].ref]
    )


def test_the_list_reads_a_bounded_number_of_queries(client, personas, scopes, visits):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas["town_a"])
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("visits:list"), {"period": "2025"})
    for number in range(20):
        household_visit_create(
            scope=scopes["town_a"],
            region=personas["grid"],
            household=f"{number}号",
            visited_on=DAY,
            theme="publicity",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("visits:list"), {"period": "2025"})
    assert len(many) == len(few)


def test_the_counts_page_shows_each_village_and_the_households_counted_in_its_area(client, personas, scopes):
    household_count_create(scope=scopes["town_a"], region=personas["jinniu"], households=800, as_of=DAY)
    household_count_create(scope=scopes["town_a"], region=personas["grid"], households=300, as_of=DAY)
    client.force_login(personas["town_a"])
    page = client.get(reverse("visits:households"))
    rows = {
        row["region"].name: (row["count"].households if row["count"] else None, row["total"])
        for row in page.context["rows"]
    }
    assert rows == {"沙北街道": (None, 800), "金牛社区": (800, 800)}
    assert "东湾" not in page.content.decode()
