"""Generating a report as a background job (kind ``report``): the job's page and status URL follow it, and
the file is kept with the report (downloaded through the reports' scope-checked view, not the job's)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from sanling.jobs.registry import JobKind, JobRefused, Outcome, job_kind_register


def _check(params: dict) -> None:
    from django.core.exceptions import ValidationError

    if not isinstance(params.get("report"), int):
        raise ValidationError(_("A report job names the report it generates."))


def _run(job, run) -> Outcome:
    from .models import Report
    from .services import check_request, report_generate

    report = Report.objects.select_related("region").filter(pk=job.params.get("report")).first()
    if report is None:
        raise JobRefused(_("The report is gone."))
    # Rights withdrawn since the request end it: the owner's scope is checked again.
    check_request(
        scope=run.scope, kind=report.kind, region=report.region, period=report.period, fmt=report.format
    )
    run.progress(0, 1, _("Generating %(title)s.") % {"title": report.file_name})
    report_generate(report)
    return Outcome(
        report={
            "report": report.pk,
            "kind": report.kind,
            "region": report.region.code,
            "period": report.period,
        },
        message=_("%(name)s is ready.") % {"name": report.file_name},
    )


def register() -> None:
    job_kind_register(
        JobKind(
            name="report",
            label=pgettext_lazy("document", "Report"),
            run=_run,
            check=_check,
            atomic=False,  # it writes its file and the report's status; a long read blocks no writer
            retryable=False,
        )
    )
