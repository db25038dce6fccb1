"""The embedded mode runs its jobs: `sanling serve` starts a huey consumer in its own process (threads, a
SQLite queue file beside the database) and stops it when the server stops (issue 17, item 15)."""

import time

import pytest
from huey.storage import SqliteStorage

from sanling.jobs.consumer import embedded_consumer
from sanling.jobs.models import Job, JobStatus
from sanling.jobs.services import job_start


@pytest.fixture
def queued(settings, tmp_path):
    """Jobs queued for a consumer as outside the tests: a SQLite queue file, no immediate mode."""
    from huey.contrib.djhuey import HUEY

    settings.JOBS_IMMEDIATE = False
    immediate, storage = HUEY._immediate, HUEY.storage
    HUEY._immediate = False
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(tmp_path / "jobs.sqlite3"))
    yield HUEY
    HUEY.storage.close()
    HUEY._immediate, HUEY.storage = immediate, storage


def finished(job: Job, *, within: float = 30) -> Job:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.finished:
            break
        time.sleep(0.1)
    return job


@pytest.mark.django_db(transaction=True)
def test_the_server_runs_queued_jobs_in_its_own_process_and_stops_the_consumer(personas, queued):
    with embedded_consumer(2) as consumer:
        assert consumer is not None
        job = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
        assert finished(job).status == JobStatus.SUCCEEDED, job.message
        workers = [worker for _worker, worker in consumer.worker_threads]
    assert not any(worker.is_alive() for worker in workers)


@pytest.mark.django_db(transaction=True)
def test_a_job_waits_in_the_queue_when_no_consumer_runs(personas, queued):
    job = job_start("export", personas["admin_user"], export="bundle", params={"format": "zip"})
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and len(queued) == 1


def test_no_consumer_is_started_when_the_server_is_told_to_run_none(settings):
    with embedded_consumer(0) as consumer:
        assert consumer is None
