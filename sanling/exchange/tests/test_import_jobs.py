"""The web import runs as two background jobs: the dry run (rows checked), whose plan or row errors are
kept with the job and shown, then, once the user confirms, the import (rows written). Atomic, scoped and
in Chinese as before (issue 17, item 15)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanling.jobs.models import Job, JobStatus
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db

HEADER = "code,name,kind,category,region_code,department_code,joined_on\n"
U9 = "U9,新学校,institution,school,411103001000,JY,2025-01-01\n"
U10 = "U10,新幼儿园,institution,kindergarten,411103001000,JY,2025-01-01\n"


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    settings.JOBS_DIR = tmp_path / "jobs"


@pytest.fixture
def admins(personas):
    """The personas and the administrator of 沙北街道 only."""
    from django.contrib.auth import get_user_model

    from sanling.accounts.models import Profile

    user = get_user_model().objects.create_user(username="admin_shabei", password="pw-secret-123")
    Profile.objects.create(user=user, role="county_admin", region=personas["shabei"])
    return {**personas, "admin_shabei": user}


def upload(client, text: str, name: str = "subjects.csv"):
    return client.post(
        reverse("exchange:upload"), {"bundle": SimpleUploadedFile(name, text.encode())}, follow=True
    )


def confirm(client, job: Job, **extra):
    return client.post(reverse("exchange:confirm"), {"job": job.pk, **extra}, follow=True)


def test_the_upload_starts_a_dry_run_job_whose_plan_is_kept_with_it_and_shown(client, personas):
    client.force_login(personas["admin_user"])
    response = upload(client, HEADER + U9 + U10)
    job = response.context["job"]
    assert response.redirect_chain == [(reverse("jobs:detail", args=[job.pk]), 302)]
    assert (job.kind, job.status, job.owner) == ("import.check", JobStatus.SUCCEEDED, personas["admin_user"])
    assert job.report["valid"] and job.report["files"] == [
        {"key": "subjects", "label": "创建主体", "created": 2, "updated": 0, "unchanged": 0}
    ]
    assert (job.done, job.total) == (2, 2)  # rows checked
    page = response.content.decode()
    assert "检查通过" in page and f'name="job" value="{job.pk}"' in page
    assert not Subject.objects.filter(code__in=["U9", "U10"]).exists()


def test_confirming_runs_the_import_as_a_second_job_that_writes_every_row(client, personas):
    client.force_login(personas["admin_user"])
    check = upload(client, HEADER + U9 + U10).context["job"]
    response = confirm(client, check)
    job = response.context["job"]
    assert (job.kind, job.status) == ("import.apply", JobStatus.SUCCEEDED)
    assert (job.done, job.total) == (2, 2)  # rows written
    assert job.message == "导入完成。创建主体：新增 2，更新 0，未变 0"
    assert "创建主体" in response.content.decode()
    assert Subject.objects.filter(code__in=["U9", "U10"]).count() == 2
    assert Job.objects.get(pk=check.pk).report["valid"]  # the dry run's report stays with its job


def test_the_dry_run_keeps_every_row_error_in_chinese_and_offers_no_import(client, personas):
    client.force_login(personas["admin_user"])
    response = upload(client, HEADER + U9.replace("2025-01-01", "不是日期") + U10.replace("JY", "ZZ"))
    job = response.context["job"]
    assert job.status == JobStatus.SUCCEEDED and not job.report["valid"]
    assert job.report["error_count"] == 2
    assert [(error["row"], error["column"]) for error in job.report["errors"]] == [
        (2, "纳入创建日期（joined_on）"),
        (3, "主管部门代码（department_code）"),
    ]
    assert job.message == "发现 2 处错误，未导入任何数据。"
    page = response.content.decode()
    assert "未知的主管部门代码“ZZ”" in page and 'id="confirm-import"' not in page


def test_a_long_list_of_row_errors_is_counted_whole_and_kept_in_part(client, personas, settings):
    settings.JOBS_REPORT_MAX_ERRORS = 1
    client.force_login(personas["admin_user"])
    job = upload(client, HEADER + U9.replace("JY", "ZZ") + U10.replace("JY", "ZZ")).context["job"]
    assert job.report["error_count"] == 2 and len(job.report["errors"]) == 1
    assert "下面列出前 1 处" in client.get(reverse("jobs:detail", args=[job.pk])).content.decode()


def test_an_import_the_database_no_longer_allows_fails_in_chinese_and_writes_nothing(client, admins):
    from sanling.subjects.services import subject_create

    client.force_login(admins["admin_shabei"])
    check = upload(client, HEADER + U10 + U9).context["job"]
    assert check.report["valid"]
    # Between the dry run and the confirmation, U9 is registered in 商桥镇, outside 沙北's scope.
    subject_create(
        code="U9",
        name="东湾小学",
        kind="institution",
        category="school",
        region=admins["dongwan"],
        department=admins["education"],
        joined_on=datetime.date(2025, 1, 1),
    )
    job = confirm(client, check).context["job"]
    assert (job.kind, job.status) == ("import.apply", JobStatus.FAILED)
    assert job.message == "发现 1 处错误，未导入任何数据。"
    assert "不在您的管辖范围（沙北街道）内" in job.report["errors"][0]["message"]
    assert not Subject.objects.filter(code="U10").exists()  # all or nothing
    assert Subject.objects.get(code="U9").name == "东湾小学"


def test_a_dry_run_of_another_user_cannot_be_confirmed(client, personas, admins):
    client.force_login(admins["admin_shabei"])
    check = upload(client, HEADER + U9).context["job"]
    client.force_login(personas["admin_user"])
    response = confirm(client, check)
    assert "上传的文件已失效" in response.content.decode()
    assert not Subject.objects.filter(code="U9").exists()
    assert not Job.objects.filter(kind="import.apply").exists()


def test_an_invalid_dry_run_cannot_be_confirmed(client, personas):
    client.force_login(personas["admin_user"])
    check = upload(client, HEADER + U9.replace("JY", "ZZ")).context["job"]
    assert "上传的文件已失效" in confirm(client, check).content.decode()
    assert not Job.objects.filter(kind="import.apply").exists()


def test_the_import_screen_exports_the_bundle_of_the_users_scope_as_a_job(client, admins):
    client.force_login(admins["admin_shabei"])
    response = client.post(reverse("exchange:export"), {"format": "xlsx"}, follow=True)
    job = response.context["job"]
    assert (job.kind, job.status, job.params) == (
        "export",
        JobStatus.SUCCEEDED,
        {"export": "bundle", "params": {"format": "xlsx"}},
    )
    assert job.result_name.endswith(".xlsx") and 'id="job-file"' in response.content.decode()
    assert (
        job.report["rows"]["创建主体"]
        == Subject.objects.filter(region__path__startswith=admins["shabei"].path).count()
    )


def test_only_administrators_start_a_bundle_export(client, personas):
    client.force_login(personas["town_a"])
    assert client.post(reverse("exchange:export"), {"format": "zip"}).status_code == 403
    assert not Job.objects.exists()
