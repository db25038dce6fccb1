"""Background jobs: long work (an import, a large export) run by the huey consumer, with its progress, its
report and its result file, visible to the user who started it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


FINISHED = (JobStatus.SUCCEEDED, JobStatus.FAILED)


class Job(models.Model):
    """One run of a job kind (``sanling.jobs.registry``) for its owner, in the owner's scope.

    ``params`` are what the kind needs (JSON); ``report`` what it found (a dry run's plan and row errors, an
    export's counts); ``result_file`` names the file it made under ``JOBS_DIR`` (outside the web root),
    served only to the owner. While it runs, its progress lives in the job store (see ``services``) and
    is copied here when it ends."""

    kind = models.CharField(_("kind"), max_length=40)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="jobs"
    )
    # The owner's region when the job was started, so an operator sees whose data it worked on.
    region_path = models.CharField(_("region path"), max_length=255, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    result_file = models.CharField(_("result file"), max_length=255, blank=True)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_created")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def finished(self) -> bool:
        return self.status in FINISHED
