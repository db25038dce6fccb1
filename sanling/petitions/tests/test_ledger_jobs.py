"""信访台账, 积案台账 and 信访代理台账 as background jobs («后台导出»): for the list's filters, exactly the rows of
the synchronous export, in the owner's area only, identities masked, watermarked and audited like it; the
file is its owner's alone."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sanling.audit.models import AuditEntry
from sanling.jobs.models import JobStatus
from sanling.jobs.services import job_file
from sanling.petitions.services import agency_advance, backlog_flag, petition_accept

from .conftest import ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db

LEDGERS = {  # export → (the synchronous export, the job's start, the sheet)
    "petitions": ("petitions:export", "petitions:export_job", "信访台账"),
    "backlog": ("petitions:backlog_export", "petitions:backlog_export_job", "积案台账"),
    "agency": ("petitions:agency_export", "petitions:agency_export_job", "信访代理台账"),
}


@pytest.fixture(autouse=True)
def jobs_dir(settings, tmp_path):
    settings.JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def ledgers(petitions):
    """Both towns' petitions on the 积案 ledger, 金牛's accepted; 金牛's agency case has its agent."""
    petition_accept(petition=petitions["petition_a"], on=petitions["petition_a"].received_on)
    for petition, organisation in (
        (petitions["petition_a"], petitions["org_shabei"]),
        (petitions["petition_b"], petitions["org_shangqiao"]),
    ):
        backlog_flag(
            item=petition.case,
            on=datetime.date(2025, 4, 1),
            responsible_organisation=organisation,
            responsible_person="王主任",
            leader="李书记",
            deadline=datetime.date(2025, 6, 30),
        )
    agency_advance(agency=petitions["agency_a"], on=petitions["agency_a"].applied_on, agent_name="张代理")
    return petitions


def rows_of(content: bytes, sheet: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    assert "导出说明" in workbook.sheetnames  # the watermark
    return list(workbook[sheet].iter_rows(values_only=True))


def run_job(client, export: str, query: str):
    response = client.post(reverse(LEDGERS[export][1]), {"query": query}, follow=True)
    return response.context["job"]


def job_rows(job, export: str) -> list[tuple]:
    assert job.status == JobStatus.SUCCEEDED, job.message
    return rows_of(job_file(job).read_bytes(), LEDGERS[export][2])


@pytest.mark.parametrize(
    ("export", "query"),
    [
        ("petitions", ""),
        ("petitions", "step=handling"),
        ("petitions", "channel=letter&received_from=2025-03-01"),
        ("backlog", ""),
        ("backlog", "overdue=no"),
        ("agency", ""),
        ("agency", "step=agent_assigned"),
        ("agency", "step=concluded"),
    ],
)
def test_the_job_writes_exactly_the_rows_of_the_synchronous_ledger(client, ledgers, export, query):
    client.force_login(ledgers["admin_user"])
    synchronous = client.get(f"{reverse(LEDGERS[export][0])}?{query}")
    assert synchronous.status_code == 200
    assert job_rows(run_job(client, export, query), export) == rows_of(
        synchronous.content, LEDGERS[export][2]
    )


def test_a_town_only_gets_its_subtrees_rows(client, ledgers):
    client.force_login(ledgers["town_a"])
    expected = {
        "petitions": ledgers["petition_a"].ref,
        "backlog": ledgers["petition_a"].ref,
        "agency": ledgers["agency_a"].ref,
    }
    for export, ref in expected.items():
        rows = job_rows(run_job(client, export, ""), export)
        assert [row[0] for row in rows[1:]] == [ref]
        assert not {"东湾征地补偿", "东湾养老保险代理"} & {cell for row in rows for cell in row}


def test_the_job_is_audited_like_the_synchronous_export(client, ledgers):
    client.force_login(ledgers["town_a"])
    job = run_job(client, "petitions", "step=handling&page=2")
    entry = AuditEntry.objects.filter(verb="export.petitions").latest("seq")
    assert entry.actor_name == "town_a"
    assert entry.changes["after"]["rows"] == {"petitions": 1}
    assert entry.changes["after"]["filters"] == "step=handling"
    assert entry.changes["after"]["personal_fields"] == [
        "petitioner_name_masked",
        "petitioner_id_number_masked",
        "petitioner_phone_masked",
    ]
    mark = entry.changes["after"]["mark"]
    assert (mark["content"], mark["exported_by"]) == ("信访台账（1 行）", "town_a")
    assert job.report["rows"] == {"信访台账": 1} and (job.done, job.total) == (1, 1)
    run_job(client, "backlog", "")
    run_job(client, "agency", "")
    assert AuditEntry.objects.filter(verb__in=["export.backlog", "export.agency"]).count() == 2


def test_identities_are_masked_even_for_a_user_who_may_unmask_and_gives_a_reason(client, ledgers):
    client.force_login(ledgers["admin_user"])
    for export in ("petitions", "agency"):
        rows = job_rows(run_job(client, export, "reason=回访核实"), export)
        cells = {cell for row in rows for cell in row}
        assert not {NAME, ID_NUMBER, PHONE} & cells
        assert "欧阳**" in cells
    entry = AuditEntry.objects.filter(verb="export.agency").latest("seq")
    assert entry.changes["after"]["personal_fields"] == ["applicant_name_masked"]
    assert not AuditEntry.objects.filter(action="unmask").exists()


def test_an_outsider_cannot_open_or_download_the_jobs_file(client, ledgers):
    client.force_login(ledgers["town_a"])
    job = run_job(client, "petitions", "")
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 200
    client.force_login(ledgers["town_b"])
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404


def test_a_filter_that_cannot_be_applied_fails_the_job_in_chinese_and_writes_nothing(client, ledgers):
    client.force_login(ledgers["town_a"])
    job = run_job(client, "petitions", "received_from=2025-13-45")
    assert job.status == JobStatus.FAILED and "日期" in job.message
    assert job_file(job) is None
    assert not AuditEntry.objects.filter(verb="export.petitions").exists()
    job = run_job(client, "backlog", "region=411103100000")  # 商桥镇: not in 沙北's area
    assert job.status == JobStatus.FAILED and "411103100000" in job.message


@pytest.mark.parametrize(
    ("page", "job_url"),
    [
        ("petitions:list", "petitions:export_job"),
        ("petitions:backlog", "petitions:backlog_export_job"),
        ("petitions:agency", "petitions:agency_export_job"),
    ],
)
def test_each_list_offers_its_background_export_with_its_filters(client, ledgers, page, job_url):
    client.force_login(ledgers["town_a"])
    html = client.get(reverse(page), {"overdue": "no"}).content.decode()
    assert f'action="{reverse(job_url)}"' in html
    assert '<input type="hidden" name="query" value="overdue=no">' in html
    assert "后台导出" in html


def test_opening_the_start_address_goes_back_to_the_list(client, ledgers):
    client.force_login(ledgers["town_a"])
    response = client.get(reverse("petitions:backlog_export_job"))
    assert response.status_code == 302 and response.url == reverse("petitions:backlog")
