"""The 矛盾纠纷台账 as a background job («后台导出»): for the list's filters, exactly the rows of the
synchronous export, in the owner's area only, the parties (personal data) kept out, watermarked and
audited like it; the file is its owner's alone."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.disputes.services import dispute_create, dispute_escalate, dispute_resolve
from sanling.jobs.models import JobStatus
from sanling.jobs.services import job_file

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)
PARTIES = "张三（13812345678）与李四"


@pytest.fixture(autouse=True)
def jobs_dir(settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def cases(casework):
    """金牛: one dispute resolved in the village (its parties recorded), one escalated to the town, and the
    personas' 金牛邻里纠纷; 东湾土地纠纷 is 商桥's."""
    village = casework["jinniu_village"]
    resolved = dispute_create(subject=village, reported_on=DAY, summary="村里化解", parties=PARTIES)
    resolved = dispute_escalate(dispute=resolved, on=DAY, to_level="village")
    dispute_resolve(
        dispute=resolved, on=DAY + datetime.timedelta(days=2), method="people", agreement="赔偿500元"
    )
    escalated = dispute_create(subject=village, reported_on=DAY, summary="上交到镇")
    dispute_escalate(dispute=escalated, on=DAY, to_level="town", note="涉及两村")
    return {**casework, "resolved": resolved, "escalated": escalated}


def rows_of(content: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert "导出说明" in workbook.sheetnames  # the watermark
    return list(workbook["矛盾纠纷台账"].iter_rows(values_only=True))


def run_job(client, query: str):
    return client.post(reverse("disputes:export_job"), {"query": query}, follow=True).context["job"]


def job_rows(job) -> list[tuple]:
    assert job.status == JobStatus.SUCCEEDED, job.message
    return rows_of(job_file(job).read_bytes())


@pytest.mark.parametrize(
    "query", ["", "status=resolved", "status=unresolved", "region=411103001000&reported_from=2025-03-01"]
)
def test_the_job_writes_exactly_the_rows_of_the_synchronous_ledger(client, cases, query):
    client.force_login(cases["admin_user"])
    synchronous = client.get(f"{reverse('disputes:export')}?{query}")
    assert synchronous.status_code == 200
    assert job_rows(run_job(client, query)) == rows_of(synchronous.content)


def test_a_town_only_gets_its_subtrees_rows(client, cases):
    client.force_login(cases["town_a"])
    rows = job_rows(run_job(client, ""))
    assert {row[0] for row in rows[1:]} == {
        cases["resolved"].ref,
        cases["escalated"].ref,
        cases["dispute_a"].ref,
    }
    assert "东湾土地纠纷" not in {cell for row in rows for cell in row}


def test_the_job_is_audited_like_the_synchronous_export(client, cases):
    client.force_login(cases["town_a"])
    job = run_job(client, "status=resolved&page=3")
    entry = AuditEntry.objects.get(verb="export.disputes")
    after = entry.changes["after"]
    assert entry.actor_name == "town_a"
    assert (after["rows"], after["filters"], after["personal_fields"]) == (
        {"disputes": 1},
        "status=resolved",
        [],
    )
    assert after["mark"]["content"] == "矛盾纠纷台账（1 行）"
    assert job.report["rows"] == {"矛盾纠纷台账": 1} and (job.done, job.total) == (1, 1)


def test_the_parties_stay_out_of_the_ledger(client, cases):
    client.force_login(cases["admin_user"])
    rows = job_rows(run_job(client, "reason=核实当事人"))
    assert "当事人" not in rows[0]
    assert not any(PARTIES in str(cell) or "13812345678" in str(cell) for row in rows for cell in row)


def test_an_outsider_cannot_download_the_jobs_file(client, cases):
    client.force_login(cases["town_a"])
    job = run_job(client, "")
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 200
    client.force_login(cases["town_b"])
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_a_filter_that_cannot_be_applied_fails_the_job_in_chinese(client, cases):
    client.force_login(cases["town_a"])
    job = run_job(client, "region=411103100000")  # 商桥镇: not in 沙北's area
    assert job.status == JobStatus.FAILED and "411103100000" in job.message
    assert job_file(job) is None
    assert not AuditEntry.objects.filter(verb="export.disputes").exists()


def test_the_list_offers_its_background_export_with_its_filters(client, cases):
    client.force_login(cases["town_a"])
    html = client.get(reverse("disputes:list"), {"status": "resolved"}).content.decode()
    assert f'action="{reverse("disputes:export_job")}"' in html
    assert '<input type="hidden" name="query" value="status=resolved">' in html
    assert "后台导出" in html
