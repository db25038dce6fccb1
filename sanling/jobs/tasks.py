"""The huey tasks: one that runs any job by its id, one that prunes old jobs every night."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task


@db_task(retries=0, name="sanling.jobs.run")
def job_task(job_id: int) -> None:
    # A failure is recorded on the job (job_run catches it); huey itself never retries a job, so a
    # half-done import cannot run twice. A retry is a new job (job_retry).
    from .services import job_run

    job_run(job_id)


@db_periodic_task(crontab(hour="3", minute="17"), name="sanling.jobs.prune")
def jobs_prune_task() -> None:
    from .services import jobs_prune

    jobs_prune()
