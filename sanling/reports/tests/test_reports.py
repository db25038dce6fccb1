"""Asking for a report, its job, the scope-checked download, sending it and the read receipts, on the small
county of the shared fixtures (沙北街道 and 商桥镇)."""

import io

import pytest
from django.core.management import CommandError, call_command

from sanling.accounts.scope import scope_for
from sanling.jobs.models import Job
from sanling.reports.models import Distribution, Report
from sanling.reports.services import report_create, report_distribute, report_generate, report_read

from .conftest import docx_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(personas):
    """The county office's 播报 of the county for 2025, generated."""
    report = report_create(
        user=personas["admin_user"],
        kind="bulletin",
        region=personas["county"],
        period="2025",
        fmt="docx",
        scope=scope_for(personas["admin_user"]),
    )
    return report_generate(report)


def test_asking_on_the_page_runs_a_job_and_the_report_downloads(client, personas):
    client.force_login(personas["admin_user"])
    answer = client.post(
        "/reports/new/",
        {"kind": "bulletin", "region": "411103000000", "period": "2025", "format": "docx"},
        format="json",
    )
    report = Report.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/reports/{report.pk}/"
    assert report.status == "ready" and report.job.kind == "report" and report.job.status == "succeeded"
    download = client.get(f"/reports/{report.pk}/file/")
    text = docx_text(b"".join(download.streaming_content))
    assert "郾城区“三零”创建工作播报" in text and "沙北街道" in text and "商桥镇" in text


def test_the_api_answers_with_the_jobs_status_url(api_as, personas, client):
    answer = api_as(personas["town_a"]).post(
        "/api/v1/reports/",
        {"kind": "bulletin", "region": "411103001000", "period": "2025", "format": "pdf"},
        format="json",
    )
    assert answer.status_code == 202
    body = answer.json()
    assert body["status_url"] == f"/jobs/{Report.objects.get().job_id}/status.json"
    client.force_login(personas["town_a"])
    assert client.get(body["status_url"]).json()["status"] == "succeeded"
    download = api_as(personas["town_a"]).get(f"/api/v1/reports/{body['id']}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_region_outside_the_users_area_is_refused_on_the_page_and_nothing_is_written(client, personas):
    client.force_login(personas["town_a"])
    answer = client.post(
        "/reports/new/",
        {"kind": "bulletin", "region": "411103100000", "period": "2025", "format": "docx"},
        format="json",
    )
    assert answer.status_code == 400
    assert "商桥镇" in answer.content.decode()  # the refusal names the region
    assert not Report.objects.exists() and not Job.objects.exists()


def test_a_region_outside_the_users_area_is_refused_by_the_api_and_nothing_is_written(api_as, personas):
    answer = api_as(personas["town_a"]).post(
        "/api/v1/reports/",
        {"kind": "bulletin", "region": "411103100000", "period": "2025", "format": "docx"},
        format="json",
    )
    assert answer.status_code == 400
    assert "region" in answer.json()["errors"]
    assert not Report.objects.exists() and not Job.objects.exists()


@pytest.mark.parametrize(
    "kind, period",
    [
        ("monthly", "2025"),
        ("quarterly", "2025-03"),
        ("bulletin", "2025-13"),
        ("weekly", "2025"),
        ("bulletin", "2999"),
    ],
)
def test_a_period_that_is_not_the_kinds_is_refused(api_as, personas, kind, period):
    answer = api_as(personas["admin_user"]).post(
        "/api/v1/reports/",
        {"kind": kind, "region": "411103000000", "period": period, "format": "docx"},
        format="json",
    )
    assert answer.status_code == 400
    assert not Report.objects.exists()


def test_a_leader_reads_but_does_not_generate(client, api_as, personas):
    client.force_login(personas["viewer"])
    assert client.get("/reports/").status_code == 200
    assert "report-form" not in client.get("/reports/").content.decode()
    answer = client.post(
        "/reports/new/",
        {"kind": "bulletin", "region": "411103000000", "period": "2025", "format": "docx"},
        format="json",
    )
    assert answer.status_code == 403
    api = api_as(personas["viewer"]).post(
        "/api/v1/reports/",
        {"kind": "bulletin", "region": "411103000000", "period": "2025", "format": "docx"},
        format="json",
    )
    assert api.status_code == 403
    assert not Report.objects.exists()


def test_sending_reaches_leaders_departments_and_towns(personas, ready):
    made = report_distribute(
        report=ready,
        sender=personas["admin_user"],
        scope=scope_for(personas["admin_user"]),
        audiences=["leaders", "departments", "towns"],
    )
    assert {(row.recipient.username, row.audience) for row in made} == {
        ("viewer", "leaders"),
        ("dept", "departments"),
        ("town_a", "towns"),
        ("town_b", "towns"),
    }


def test_sending_again_does_not_send_twice(personas, ready):
    scope = scope_for(personas["admin_user"])
    report_distribute(report=ready, sender=personas["admin_user"], scope=scope, audiences=["towns"])
    again = report_distribute(
        report=ready, sender=personas["admin_user"], scope=scope, audiences=["towns", "leaders"]
    )
    assert [row.recipient.username for row in again] == ["viewer"]
    assert Distribution.objects.filter(report=ready).count() == 3


def test_a_recipient_finds_the_report_and_reading_records_one_receipt(client, personas, ready):
    report_distribute(report=ready, sender=personas["admin_user"], scope=None, audiences=["departments"])
    client.force_login(personas["dept"])  # a department's user: the report is theirs only because it was sent
    assert f"/reports/{ready.pk}/" in client.get("/reports/").content.decode()
    assert client.get(f"/reports/{ready.pk}/file/").status_code == 200
    first = Distribution.objects.get(recipient=personas["dept"]).read_at
    assert first is not None
    assert client.get(f"/reports/{ready.pk}/").status_code == 200
    assert Distribution.objects.get(recipient=personas["dept"]).read_at == first
    assert report_read(report=ready, user=personas["dept"]) is False


def test_the_sender_sees_who_has_read_and_who_has_not(client, api_as, personas, ready):
    report_distribute(report=ready, sender=personas["admin_user"], scope=None, audiences=["leaders", "towns"])
    report_read(report=ready, user=personas["viewer"])
    client.force_login(personas["admin_user"])
    page = client.get(f"/reports/{ready.pk}/").content.decode()
    assert 'id="receipts"' in page and "viewer" in page and "town_b" in page
    receipts = api_as(personas["admin_user"]).get(f"/api/v1/reports/{ready.pk}/receipts/").json()
    assert {row["recipient"]: row["read_at"] is not None for row in receipts} == {
        "viewer": True,
        "town_a": False,
        "town_b": False,
    }


def test_a_recipient_who_does_not_supervise_cannot_send_it_on(client, api_as, personas, ready):
    report_distribute(report=ready, sender=personas["admin_user"], scope=None, audiences=["leaders"])
    client.force_login(personas["viewer"])
    assert client.post(f"/reports/{ready.pk}/send/", {"audiences": ["towns"]}).status_code == 403
    assert (
        api_as(personas["viewer"])
        .post(f"/api/v1/reports/{ready.pk}/send/", {"audiences": ["towns"]})
        .status_code
        == 403
    )
    assert api_as(personas["viewer"]).get(f"/api/v1/reports/{ready.pk}/receipts/").status_code == 403
    assert Distribution.objects.count() == 1


def test_sending_through_the_api_names_accounts(api_as, personas, ready):
    answer = api_as(personas["admin_user"]).post(
        f"/api/v1/reports/{ready.pk}/send/", {"users": ["town_b"], "audiences": ["leaders"]}, format="json"
    )
    assert answer.status_code == 201
    assert {row["recipient"] for row in answer.json()} == {"town_b", "viewer"}
    unknown = api_as(personas["admin_user"]).post(
        f"/api/v1/reports/{ready.pk}/send/", {"users": ["nobody"]}, format="json"
    )
    assert unknown.status_code == 400 and Distribution.objects.count() == 2


def test_another_towns_report_is_not_found(client, personas, ready):
    mine = report_generate(
        report_create(
            user=personas["town_b"],
            kind="bulletin",
            region=personas["shangqiao"],
            period="2025",
            fmt="docx",
            scope=scope_for(personas["town_b"]),
        )
    )
    client.force_login(personas["town_a"])
    for url in (f"/reports/{mine.pk}/", f"/reports/{mine.pk}/file/", f"/reports/{ready.pk}/file/"):
        assert client.get(url).status_code == 404


def test_the_bulletin_page_refuses_a_region_outside_the_users_area(client, personas):
    client.force_login(personas["town_a"])
    answer = client.get("/reports/bulletin/", {"region": "411103100000", "period": "2025"})
    assert answer.status_code == 403
    assert 'id="bulletin"' not in answer.content.decode()
    own = client.get("/reports/bulletin/", {"region": "411103001000", "period": "2025"})
    assert own.status_code == 200 and "沙北街道“三零”创建工作播报" in own.content.decode()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["weekly", "--region", "411103000000", "--period", "2025"], "没有“weekly”这种报告"),
        (["bulletin", "--region", "999", "--period", "2025"], "未知的区划代码“999”"),
        (["bulletin", "--region", "411103000000", "--period", "2025-13"], "期间"),
        (["monthly", "--region", "411103000000", "--period", "2025Q1"], "月度小结的期间是一个月"),
        (
            ["bulletin", "--region", "411103000000", "--period", "2025", "--format", "xlsx"],
            "Word（docx）或 PDF",
        ),
    ],
)
def test_the_command_refuses_bad_input_in_chinese_and_writes_nothing(personas, tmp_path, arguments, message):
    out = tmp_path / "out.docx"
    with pytest.raises(CommandError, match=message):
        call_command("report", *arguments, "--out", str(out), stdout=io.StringIO())
    assert not out.exists()


def test_the_command_writes_a_quarterly_analysis_as_pdf(personas, tmp_path):
    out = tmp_path / "分析.pdf"
    call_command(
        "report",
        "quarterly",
        region="411103000000",
        period="2025Q1",
        format="pdf",
        out=str(out),
        stdout=io.StringIO(),
    )
    assert out.read_bytes().startswith(b"%PDF")


def test_the_job_page_of_a_report_opens_for_its_owner(client, personas):
    client.force_login(personas["admin_user"])
    client.post(
        "/reports/new/", {"kind": "monthly", "region": "411103000000", "period": "2025-03", "format": "pdf"}
    )
    report = Report.objects.get()
    assert report.status == "ready" and report.file_name == "月度小结-郾城区-2025-03.pdf"
    assert client.get(f"/jobs/{report.job_id}/").status_code == 200
    page = client.get(f"/reports/{report.pk}/").content.decode()
    assert f"/jobs/{report.job_id}/" in page and f"/reports/{report.pk}/file/" in page
