"""Starting, running and recording background jobs.

A job is a row (``Job``) and a huey task that runs it by id (``tasks.job_task``). ``job_start`` creates the
row and enqueues the task once the row is committed; the consumer (``sanling run_huey``, or the one
``sanling serve`` runs in-process) calls ``job_run``, which claims the row, runs the kind in the owner's
scope and name, and records the outcome: ``job_finish`` or ``job_fail``.

Progress is written while the job's own transaction is still open (an import writes everything in one),
so it cannot go to the database, where no one would see it before the commit (and on SQLite the job holds
the only write lock). It goes to huey's own key-value store instead (Redis, or the jobs SQLite file, in
memory under the tests), under a key of the job, and is copied onto the row when the job ends.
"""

import logging
import secrets
import shutil
import time
from contextlib import nullcontext
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope, scope_for
from sanling.audit.context import Actor, acting
from sanling.audit.models import Source

from .models import FINISHED, Job, JobStatus
from .registry import JobRefused, job_kind

logger = logging.getLogger(__name__)


def jobs_dir() -> Path:
    return Path(settings.JOBS_DIR)


def _huey():
    from huey.contrib.djhuey import HUEY

    return HUEY


def job_start(kind: str, owner, **params) -> Job:
    """Create a job of ``kind`` for ``owner`` with ``params`` (JSON values) and queue it. The kind's
    ``check`` refuses bad parameters first (ValidationError in Chinese; nothing is queued)."""
    definition = job_kind(kind)
    if definition.check is not None:
        definition.check(params)
    scope = scope_for(owner)
    job = Job(
        kind=kind,
        owner=owner,
        region_path=scope.region.path if scope.region else "",
        params=params,
        message=_("Waiting for its turn."),
    )
    job.full_clean()
    job.save()
    _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    from .tasks import job_task

    if settings.JOBS_IMMEDIATE:
        job_task(job_id)  # huey's immediate mode: runs now, in this process (the tests)
    else:
        # Only once the row is committed can the consumer find it.
        transaction.on_commit(lambda: job_task(job_id))


def job_retry(job: Job) -> Job:
    """Start a failed job of a retryable kind again, as a new job with the same parameters."""
    definition = job_kind(job.kind)
    if job.status != JobStatus.FAILED or not definition.retryable:
        raise ValidationError(_("Only a failed export can be started again."))
    return job_start(job.kind, job.owner, **job.params)


def _live_key(job: Job) -> str:
    # The creation time keeps a key from meeting a later job that reuses the id (SQLite, the tests).
    return f"sanling.job.{job.pk}.{job.created_at.timestamp():.6f}"


def job_progress(job: Job, done: int, total: int, message: str) -> bool:
    """Record that ``done`` of ``total`` are done and what is being done, for the job's page. Cheap: it
    writes at most every ``JOBS_PROGRESS_ROWS`` rows or ``JOBS_PROGRESS_SECONDS`` seconds, unless the
    message changes or the work is done. Returns whether it wrote."""
    now = time.monotonic()
    told = getattr(job, "_progress_told", None)
    if told is not None:
        told_at, told_done, told_message = told
        if (
            message == told_message
            and done < total
            and done - told_done < settings.JOBS_PROGRESS_ROWS
            and now - told_at < settings.JOBS_PROGRESS_SECONDS
        ):
            return False
    job._progress_told = (now, done, message)
    job.done, job.total, job.message = done, total, message[:500]
    _huey().put(_live_key(job), [done, total, job.message])
    return True


def job_live(job: Job) -> Job:
    """``job`` with its latest progress, from the job store while it runs."""
    if job.status == JobStatus.RUNNING:
        live = _huey().get(_live_key(job), peek=True)
        if live:
            job.done, job.total, job.message = live
    return job


def job_finish(job: Job, *, report: dict, message: str, file: Path | None = None, file_name: str = "") -> Job:
    """Record that ``job`` succeeded: its report, what it did and the file it made (inside JOBS_DIR)."""
    job.status = JobStatus.SUCCEEDED
    job.finished_at = timezone.now()
    job.report = report
    job.message = (message or _("Done."))[:500]
    job.done = max(job.done, job.total)
    if file is not None:
        job.result_file = file.name
        job.result_name = file_name or file.name
    job.save(
        update_fields=[
            "status",
            "finished_at",
            "report",
            "message",
            "done",
            "total",
            "result_file",
            "result_name",
        ]
    )
    _huey().delete(_live_key(job))
    return job


def job_fail(job: Job, *, message: str, report: dict | None = None) -> Job:
    """Record that ``job`` failed and why (in Chinese), keeping how far it got."""
    job.status = JobStatus.FAILED
    job.finished_at = timezone.now()
    job.message = message[:500]
    job.report = report or {}
    job.save(update_fields=["status", "finished_at", "message", "report", "done", "total"])
    _huey().delete(_live_key(job))
    return job


class JobRun:
    """What a kind's ``run`` gets besides its job: the owner's scope, the progress callable and the place
    to write its file. The file is written in a folder of its own and kept only if the job succeeds."""

    def __init__(self, job: Job):
        self.job = job
        self.scope: Scope = scope_for(job.owner)
        self._work: Path | None = None

    def progress(self, done: int, total: int, message: str) -> None:
        job_progress(self.job, done, total, message)

    def file(self, name: str) -> Path:
        """A path to write the job's file at (``name`` gives its suffix: a bundle's format follows it)."""
        if self._work is None:
            for folder in (jobs_dir(), jobs_dir() / "work"):  # readable by the service's user only
                folder.mkdir(mode=0o700, exist_ok=True, parents=folder == jobs_dir())
            self._work = jobs_dir() / "work" / f"{self.job.pk}-{secrets.token_hex(8)}"
            self._work.mkdir(mode=0o700)
        return self._work / Path(name).name

    def keep(self, path: Path) -> Path:
        """Move the finished file out of the work folder into JOBS_DIR, under a name no one can guess."""
        target = jobs_dir() / f"{self.job.pk}-{secrets.token_hex(12)}{''.join(path.suffixes)}"
        path.chmod(0o600)
        path.rename(target)
        self.discard()
        return target

    def discard(self) -> None:
        """Delete whatever the job wrote (a failed job leaves no file behind)."""
        if self._work is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None


def job_run(job_id: int) -> Job | None:
    """Run the queued job ``job_id`` (the huey task calls this). A job already taken, finished or gone is
    left alone, so a task delivered twice runs the job once. Every failure is recorded on the job with a
    Chinese message and, for an atomic kind, nothing the job wrote is kept."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None
    job = Job.objects.select_related("owner").get(pk=job_id)
    run = JobRun(job)
    owner = job.owner
    with translation.override("zh-hans"):
        try:
            definition = job_kind(job.kind)
            if not owner.is_active:
                raise JobRefused(_("The account that started this job is no longer active."))
            actor = Actor(user=owner, name=owner.get_username(), source=Source.WEB)
            with acting(actor), transaction.atomic() if definition.atomic else nullcontext():
                outcome = definition.run(job, run)
        except JobRefused as refused:
            run.discard()
            return job_fail(job, message=refused.message, report=refused.report)
        except ValidationError as error:
            run.discard()
            return job_fail(job, message=" ".join(error.messages))
        except Exception:
            run.discard()
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            return job_fail(
                job,
                message=_(
                    "The job stopped on an unexpected error and nothing it was writing was kept. "
                    "The details are in the server's log; start it again or tell the administrator."
                ),
            )
        file = run.keep(outcome.file) if outcome.file is not None else None
        run.discard()
        return job_finish(
            job, report=outcome.report, message=outcome.message, file=file, file_name=outcome.file_name
        )


def job_file(job: Job) -> Path | None:
    """The file ``job`` made, if it is still there."""
    if not job.result_file or job.status != JobStatus.SUCCEEDED:
        return None
    path = jobs_dir() / Path(job.result_file).name
    return path if path.is_file() else None


def job_abandon(job: Job, *, message: str) -> Job:
    """Mark a queued or running job failed by hand (its consumer died with it): ``sanling jobs fail``."""
    if job.status in FINISHED:
        raise ValidationError(_("The job has already ended."))
    return job_fail(job, message=message)


def jobs_prune(*, older_than: timedelta | None = None) -> int:
    """Delete the finished jobs older than ``older_than`` (by default ``JOBS_RETENTION_DAYS``) and their
    files, and work folders left by a consumer that stopped mid-job. Returns how many jobs went."""
    if older_than is None:
        older_than = timedelta(days=settings.JOBS_RETENTION_DAYS)
    cutoff = timezone.now() - older_than
    old = Job.objects.filter(status__in=FINISHED, finished_at__lt=cutoff)
    for name in old.exclude(result_file="").values_list("result_file", flat=True).iterator():
        (jobs_dir() / Path(name).name).unlink(missing_ok=True)
    work = jobs_dir() / "work"
    if work.is_dir():
        running = {str(pk) for pk in Job.objects.exclude(status__in=FINISHED).values_list("pk", flat=True)}
        for folder in work.iterdir():
            if folder.name.split("-", 1)[0] not in running:
                shutil.rmtree(folder, ignore_errors=True)
    deleted, _counts = old.delete()
    return deleted
