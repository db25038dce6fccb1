"""`sanling jobs`: the operator's view of the jobs, and the way out for a job whose consumer died."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from sanling.jobs.models import Job, JobStatus
from sanling.jobs.services import job_start

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command("jobs", *args, stdout=out)
    return out.getvalue()


def test_the_list_names_each_job_its_owner_status_and_progress(personas):
    job = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    line = run("list").splitlines()[0]
    assert line.startswith(f"{job.pk}\texport\tadmin_user\t已完成\t")


def test_a_job_stuck_running_is_marked_failed_by_hand_and_can_be_listed_by_status(personas):
    job = Job.objects.create(kind="export", owner=personas["admin_user"], status=JobStatus.RUNNING)
    assert run("list", "--status", "running").startswith(f"{job.pk}\t")
    assert "已标为失败" in run("fail", str(job.pk))
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "消费进程已停止" in job.message
    with pytest.raises(CommandError, match="任务已经结束"):
        run("fail", str(job.pk))


def test_a_failed_export_is_queued_again_from_the_shell(personas, export):
    def fails(**kwargs):
        raise ValidationError("数据库繁忙，请稍后再试。")

    export("test.fails", fails)
    job = job_start("export", personas["admin_user"], export="test.fails")
    assert "已重新排队" in run("retry", str(job.pk))
    assert Job.objects.filter(kind="export").count() == 2


def test_an_unknown_job_number_is_refused_in_chinese(db):
    with pytest.raises(CommandError, match="没有编号为 999 的任务"):
        run("retry", "999")
