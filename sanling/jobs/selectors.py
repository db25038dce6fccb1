"""Reading jobs: a user sees only the jobs they started."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse

from .models import Job
from .registry import KINDS
from .services import job_file, job_live

RECENT = 50  # jobs listed on /jobs/


def jobs_of(user) -> QuerySet[Job]:
    """The jobs ``user`` started, newest first (``job_owner_created`` serves it)."""
    return Job.objects.filter(owner=user).order_by("-created_at", "-pk")


def job_for_user(user, pk: int) -> Job:
    """The job ``pk`` if ``user`` started it; 404 for anyone else, whatever their rights: a job's report
    and file hold what its owner's scope could see."""
    return job_live(get_object_or_404(jobs_of(user), pk=pk))


def job_label(job: Job) -> str:
    kind = KINDS.get(job.kind)
    if kind is None:
        return job.kind
    if job.kind == "export":
        from .exports import export_label

        return f"{kind.label}：{export_label(job)}"
    return str(kind.label)


def job_status(job: Job) -> dict:
    """What the job's page polls: where it stands, in numbers and in words."""
    percent = 100 if job.status == "succeeded" else (100 * job.done // job.total if job.total else 0)
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "status_label": job.get_status_display(),
        "finished": job.finished,
        "done": job.done,
        "total": job.total,
        "percent": min(percent, 100),
        "message": job.message,
        "file_url": reverse("jobs:file", args=[job.pk]) if job_file(job) else "",
    }
