"""A user's jobs: the list, one job's page with its progress bar, the status the bar polls, its file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from .models import Job
from .registry import KINDS
from .selectors import RECENT, job_for_user, job_label, job_status, jobs_of
from .services import job_file, job_live, job_retry


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = [job_live(job) for job in jobs_of(request.user)[:RECENT]]
    return render(request, "jobs/job_list.html", {"jobs": [(job, job_label(job)) for job in jobs]})


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(request.user, pk)
    kind = KINDS.get(job.kind)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "label": job_label(job),
            "status": job_status(job),
            "report_template": kind.template if kind and job.finished else "",
            "retryable": bool(kind and kind.retryable and job.status == "failed"),
        },
    )


@login_required
def job_status_json(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(job_status(job_for_user(request.user, pk)))


@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    """The job's file, to its owner only (404 for everyone else, and once the file is pruned)."""
    job: Job = job_for_user(request.user, pk)
    path = job_file(job)
    if path is None:
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result_name or path.name)


@login_required
def job_retry_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = job_for_user(request.user, pk)  # someone else's job is a 404 whatever the method
    if request.method != "POST":
        return redirect("jobs:detail", pk=job.pk)
    try:
        again = job_retry(job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:detail", pk=job.pk)
    return redirect("jobs:detail", pk=again.pk)
