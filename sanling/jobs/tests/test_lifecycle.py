"""A job is queued, runs in its owner's scope, and ends succeeded with its report and file, or failed with
a Chinese message and nothing half-written (issue 17, item 15)."""

import datetime
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanling.departments.models import Department
from sanling.jobs.models import Job, JobStatus
from sanling.jobs.registry import Outcome
from sanling.jobs.services import job_file, job_progress, job_retry, job_run, job_start, jobs_prune
from sanling.subjects.models import Subject

pytestmark = pytest.mark.django_db


def test_a_bundle_export_job_runs_to_success_with_its_report_and_file(personas):
    job = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at
    assert job.report["rows"]["创建主体"] == Subject.objects.count() > 0
    assert job.done == job.total > 0
    with zipfile.ZipFile(job_file(job)) as bundle:
        assert "subjects.csv" in bundle.namelist()
    assert job.result_name.startswith("sanling-bundle-") and job.result_name.endswith(".zip")


def test_an_export_job_holds_only_its_owners_scope(personas):
    personas["admin_user"].profile.region = personas["shabei"]  # the administrator of 沙北街道 only
    personas["admin_user"].profile.save()
    job = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.message
    assert job.region_path == personas["shabei"].path
    with zipfile.ZipFile(job_file(job)) as bundle:
        subjects = bundle.read("subjects.csv").decode("utf-8-sig")
    assert "东湾" not in subjects and "商桥" not in subjects


def test_progress_is_kept_while_the_job_runs_and_copied_onto_the_job_when_it_ends(personas, kind):
    seen = []

    def count(job, run):
        for done in range(0, 30_001, 10_000):
            run.progress(done, 30_000, "检查 events.csv")
            seen.append(Job.objects.get(pk=job.pk).status)
        return Outcome(message="完成")

    kind("test.count", count)
    job = job_start("test.count", personas["admin_user"])
    job.refresh_from_db()
    assert seen == [JobStatus.RUNNING] * 4
    assert (job.status, job.done, job.total, job.message) == (JobStatus.SUCCEEDED, 30_000, 30_000, "完成")


def test_progress_is_written_at_most_every_n_rows_unless_the_stage_changes_or_the_work_ends(
    personas, settings
):
    settings.JOBS_PROGRESS_ROWS = 10_000
    settings.JOBS_PROGRESS_SECONDS = 3600  # so only the rows decide here
    job = Job.objects.create(kind="export", owner=personas["admin_user"], status=JobStatus.RUNNING)
    assert job_progress(job, 0, 50_000, "检查 events.csv")
    assert not job_progress(job, 5_000, 50_000, "检查 events.csv")
    assert job_progress(job, 10_000, 50_000, "检查 events.csv")
    assert job_progress(job, 10_500, 50_000, "写入 events.csv")
    assert not job_progress(job, 11_000, 50_000, "写入 events.csv")
    assert job_progress(job, 50_000, 50_000, "写入 events.csv")


def test_a_job_that_fails_is_recorded_in_chinese_and_keeps_nothing_it_wrote(personas, kind, jobs_dir):
    from sanling.departments.services import department_create

    def half_then_fail(job, run):
        department_create(code="WJ", name="区卫健委")
        run.file("half.xlsx").write_bytes(b"half a workbook")
        raise RuntimeError("disk full")

    kind("test.half", half_then_fail)
    job = job_start("test.half", personas["admin_user"])
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "意外错误" in job.message and "disk full" not in job.message
    assert not Department.objects.filter(code="WJ").exists()
    assert list((jobs_dir / "work").iterdir()) == []
    assert job_file(job) is None


def test_a_job_refused_for_a_reason_says_it_in_chinese(personas, export):
    def refuse(**kwargs):
        raise ValidationError("所选期间尚未开始。")

    export("test.refuse", refuse)
    job = job_start("export", personas["admin_user"], export="test.refuse")
    job.refresh_from_db()
    assert (job.status, job.message) == (JobStatus.FAILED, "所选期间尚未开始。")


def test_an_unknown_export_is_refused_before_anything_is_queued(personas):
    with pytest.raises(ValidationError, match="没有名为“ledger”的导出"):
        job_start("export", personas["admin_user"], export="ledger")
    assert not Job.objects.exists()


def test_an_unknown_kind_is_refused(personas):
    with pytest.raises(ValidationError, match="没有“nothing”类型的任务"):
        job_start("nothing", personas["admin_user"])


def test_a_job_runs_once_though_its_task_is_delivered_twice(personas, kind):
    runs = []
    kind("test.once", lambda job, run: runs.append(job.pk) or Outcome())
    job = job_start("test.once", personas["admin_user"])
    assert job_run(job.pk) is None
    assert runs == [job.pk]


def test_the_job_of_a_deactivated_account_does_not_run(personas, kind):
    runs = []
    kind("test.once", lambda job, run: runs.append(job.pk) or Outcome())
    owner = personas["admin_user"]
    job = Job.objects.create(kind="test.once", owner=owner)
    owner.is_active = False
    owner.save()
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "不再有效" in job.message and runs == []


def test_a_failed_export_is_started_again_as_a_new_job(personas, export):
    attempts = []

    def flaky(*, path, **kwargs):
        attempts.append(1)
        if len(attempts) == 1:
            raise ValidationError("数据库繁忙，请稍后再试。")
        path.write_bytes(b"PK")
        return {"rows": {"台账": 1}}

    export("test.flaky", flaky)
    failed = job_start("export", personas["admin_user"], export="test.flaky")
    failed.refresh_from_db()
    again = job_retry(failed)
    again.refresh_from_db()
    assert again.pk != failed.pk and again.status == JobStatus.SUCCEEDED
    assert again.params == failed.params


def test_only_a_failed_export_is_started_again(personas, kind):
    kind("test.once", lambda job, run: Outcome())
    job = job_start("test.once", personas["admin_user"])
    job.refresh_from_db()
    with pytest.raises(ValidationError, match="只有失败的导出"):
        job_retry(job)


def test_pruning_deletes_old_finished_jobs_with_their_files(personas):
    old = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    recent = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    old.refresh_from_db()
    path = job_file(old)
    Job.objects.filter(pk=old.pk).update(finished_at=timezone.now() - datetime.timedelta(days=8))
    assert jobs_prune() == 1
    assert not path.exists() and not Job.objects.filter(pk=old.pk).exists()
    assert job_file(Job.objects.get(pk=recent.pk)) is not None
