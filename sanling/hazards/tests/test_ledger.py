"""The 隐患台账: exactly the rows of the filtered list, Chinese headers, neutralised, watermarked and audited;
the same as a background job."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.hazards.services import hazard_report
from sanling.jobs.models import JobStatus
from sanling.jobs.services import job_file


@pytest.fixture(autouse=True)
def jobs_dir(settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"


def rows_of(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert "导出说明" in workbook.sheetnames  # the watermark
    return list(workbook["隐患台账"].iter_rows(values_only=True))


@pytest.fixture
def ledger_world(hazard_world):
    hazard_report(
        subject=hazard_world["school"],
        found_on=hazard_world["today"],
        category="燃气安全",
        level="major",
        description='=HYPERLINK("http://example.com")',
    )
    hazard_report(
        subject=hazard_world["factory"],
        found_on=hazard_world["today"],
        category="安全生产",
        level="general",
        description="东湾厂房隐患",
    )
    return hazard_world


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "level=major", "overdue=true", "status=open"])
def test_the_ledger_holds_exactly_the_filtered_rows(client, ledger_world, query):
    client.force_login(ledger_world["town_a"])
    listed = client.get(f"{reverse('hazards:list')}?{query}").context["page"].paginator.object_list
    answer = client.get(f"{reverse('hazards:export')}?{query}")
    assert answer.status_code == 200
    rows = rows_of(answer.content)
    assert rows[0][:4] == ("编号", "发现日期", "类别", "等级")
    assert sorted(row[0] for row in rows[1:]) == sorted(hazard.ref for hazard in listed)
    assert "东湾厂房隐患" not in {cell for row in rows for cell in row}


@pytest.mark.django_db
def test_a_formula_is_written_as_text_and_the_export_is_audited(client, ledger_world):
    client.force_login(ledger_world["town_a"])
    content = client.get(f"{reverse('hazards:export')}?level=major").content
    workbook = load_workbook(io.BytesIO(content))
    cell = workbook["隐患台账"]["E2"]
    assert cell.value.startswith("=HYPERLINK") and cell.data_type == "s"  # text, never a formula
    entry = AuditEntry.objects.get(verb="export.hazards")
    assert entry.changes["after"]["rows"] == {"hazards": 1}


@pytest.mark.django_db
def test_the_background_job_writes_the_same_rows(client, ledger_world):
    client.force_login(ledger_world["town_a"])
    synchronous = rows_of(client.get(f"{reverse('hazards:export')}?status=open").content)
    job = client.post(reverse("hazards:export_job"), {"query": "status=open"}, follow=True).context["job"]
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert rows_of(job_file(job).read_bytes()) == synchronous
