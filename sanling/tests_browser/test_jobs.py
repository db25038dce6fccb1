"""A job's page under the strict Content-Security-Policy: its static script redraws the progress bar from
the status URL and reloads the page, with the report, when the job ends (issue 17, item 15)."""

from playwright.sync_api import expect

from sanling.jobs.models import Job, JobStatus
from sanling.jobs.services import job_finish, job_progress


def test_the_progress_bar_follows_a_running_job_and_the_page_shows_its_end(page_for, personas):
    job = Job.objects.create(kind="export", owner=personas["admin_user"], status=JobStatus.RUNNING)
    job_progress(job, 1_000, 4_000, "读取 events.csv")
    page = page_for("admin_user")
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(page.url.split("/dashboard")[0] + f"/jobs/{job.pk}/")
    expect(page.locator("#job-counts")).to_have_text("1000 / 4000")

    job_progress(job, 3_000, 4_000, "写入 <b>events.csv</b>")
    expect(page.locator("#job-counts")).to_have_text("3,000 / 4,000")
    expect(page.locator("#job-message")).to_have_text("写入 <b>events.csv</b>")  # text, not markup
    expect(page.locator("#job-progress")).to_have_attribute("value", "3000")

    job_finish(job, report={"rows": {"事件": 4000}}, message="数据交换包：已写入 4000 行。")
    expect(page.locator("#job-state")).to_have_text("已完成")
    expect(page.locator("#export-report")).to_be_visible()
    assert errors == []
