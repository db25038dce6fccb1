"""A job's page, its status and its file are its owner's alone: everyone else gets 404, whatever their
rights (issue 17, item 15)."""

import re

import pytest
from django.urls import reverse

from sanling.jobs.models import Job, JobStatus
from sanling.jobs.services import job_progress, job_start

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(personas) -> Job:
    job = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    job.refresh_from_db()
    return job


def test_the_status_of_a_running_job_shows_its_progress(client, personas):
    job = Job.objects.create(kind="export", owner=personas["admin_user"], status=JobStatus.RUNNING)
    job_progress(job, 5_000, 20_000, "检查 events.csv")
    client.force_login(personas["admin_user"])
    status = client.get(reverse("jobs:status", args=[job.pk])).json()
    assert status | {"id": 0} == {
        "id": 0,
        "kind": "export",
        "status": "running",
        "status_label": "运行中",
        "finished": False,
        "done": 5_000,
        "total": 20_000,
        "percent": 25,
        "message": "检查 events.csv",
        "file_url": "",
    }


def test_the_status_of_a_finished_export_links_its_file(client, personas, exported):
    client.force_login(personas["admin_user"])
    status = client.get(reverse("jobs:status", args=[exported.pk])).json()
    assert status["finished"] and status["percent"] == 100
    assert status["file_url"] == reverse("jobs:file", args=[exported.pk])


@pytest.mark.parametrize("other", ["town_a", "town_b", "dept", "viewer", "auditor"])
@pytest.mark.parametrize("name", ["jobs:detail", "jobs:status", "jobs:file", "jobs:retry"])
def test_another_user_gets_404_for_every_url_of_a_job(client, personas, exported, other, name):
    client.force_login(personas[other])
    url = reverse(name, args=[exported.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404


def test_another_county_administrator_cannot_download_the_file_either(client, personas, exported):
    from django.contrib.auth import get_user_model

    from sanling.accounts.models import Profile

    colleague = get_user_model().objects.create_user(username="admin_2", password="pw-secret-123")
    Profile.objects.create(user=colleague, role="county_admin", region=personas["county"])
    client.force_login(colleague)
    assert client.get(reverse("jobs:file", args=[exported.pk])).status_code == 404


def test_the_owner_downloads_the_file_as_an_attachment(client, personas, exported):
    client.force_login(personas["admin_user"])
    response = client.get(reverse("jobs:file", args=[exported.pk]))
    assert response.status_code == 200
    assert exported.result_name in response["Content-Disposition"]
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_there_is_nothing_to_download_before_the_job_has_finished(client, personas):
    job = Job.objects.create(kind="export", owner=personas["admin_user"], status=JobStatus.RUNNING)
    client.force_login(personas["admin_user"])
    assert client.get(reverse("jobs:file", args=[job.pk])).status_code == 404


def test_the_jobs_page_lists_only_the_users_own_jobs(client, personas, exported):
    client.force_login(personas["admin_user"])
    assert reverse("jobs:detail", args=[exported.pk]) in client.get(reverse("jobs:list")).content.decode()
    client.force_login(personas["town_a"])
    page = client.get(reverse("jobs:list")).content.decode()
    assert reverse("jobs:detail", args=[exported.pk]) not in page
    assert "您还没有发起过后台任务" in page


def test_the_job_page_draws_its_bar_with_a_static_script_and_no_inline_code(client, personas):
    job = Job.objects.create(kind="export", owner=personas["admin_user"], status=JobStatus.RUNNING)
    job_progress(job, 1_000, 4_000, "写入 <b>events.csv</b>")
    client.force_login(personas["admin_user"])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<progress id="job-progress" max="4000" value="1000">' in page
    assert f'data-job-status-url="{reverse("jobs:status", args=[job.pk])}"' in page
    assert "写入 &lt;b&gt;events.csv&lt;/b&gt;" in page  # a message is text, never markup
    scripts = re.findall(r"<script[^>]*>", page)
    assert any("js/job_progress" in tag for tag in scripts)
    assert all("src=" in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", page)


def test_a_failed_export_is_started_again_from_its_page(client, personas, export):
    from django.core.exceptions import ValidationError

    def fails(**kwargs):
        raise ValidationError("数据库繁忙，请稍后再试。")

    export("test.fails", fails)
    job = job_start("export", personas["admin_user"], export="test.fails")
    client.force_login(personas["admin_user"])
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "数据库繁忙，请稍后再试。" in page and 'id="job-retry"' in page
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    again = Job.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("jobs:detail", args=[again.pk])
