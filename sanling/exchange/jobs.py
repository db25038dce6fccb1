"""The web import as two background jobs, and the bundle as an export job.

``import.check`` runs the dry run of an uploaded bundle and keeps its plan (or its row errors) with the
job; the user reads it on the job's page and confirms, which starts ``import.apply`` on the same upload.
Each reports rows checked, then rows written, to the job's progress bar. The importer's guarantees hold
as they are: the apply is one transaction (all or nothing), a changed database since the dry run is
checked again, the user's scope is the importer's, and the upload is deleted once it has served.
"""

from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from sanling.accounts.scope import Scope
from sanling.core.progress import ProgressCallback
from sanling.jobs.exports import export_register
from sanling.jobs.registry import JobKind, JobRefused, Outcome, job_kind_register

from .exporter import bundle_export
from .importer import ImportResult, bundle_import
from .reader import BundleInvalid, RowError
from .uploads import upload_discard, upload_path

FILE_LABELS = {
    "regions": pgettext_lazy("bundle file", "Regions"),
    "departments": pgettext_lazy("bundle file", "Departments"),
    "organisations": pgettext_lazy("bundle file", "Organisations"),
    "subjects": pgettext_lazy("bundle file", "Subjects"),
    "events": pgettext_lazy("bundle file", "Events"),
    "disputes": pgettext_lazy("bundle file", "Disputes"),
    "petitions": pgettext_lazy("bundle file", "Petitions"),
}
FILE_LABELS["key_people"] = pgettext_lazy("bundle file", "Key persons")  # issue 15 item 9


def _administering(scope: Scope) -> None:
    # Checked again when the job runs: rights withdrawn since the upload end the import.
    if not scope.can_administer:
        raise JobRefused(_("Only an administrator may import or export a data bundle."))


def _upload(params: dict) -> Path:
    path = upload_path(params.get("token", ""))
    if path is None:
        raise JobRefused(_("The uploaded file is gone; upload it again."))
    return path


def _errors(errors: list[RowError]) -> dict:
    """The row errors for the report: all of them counted, the first JOBS_REPORT_MAX_ERRORS kept."""
    return {
        "error_count": len(errors),
        "errors": [asdict(error) for error in errors[: settings.JOBS_REPORT_MAX_ERRORS]],
    }


def _files(result: ImportResult) -> list[dict]:
    """The counts of each file, under the file's name in the UI."""
    return [
        {"key": key, "label": str(FILE_LABELS.get(key, key)), **asdict(counts)}
        for key, counts in result.files.items()
    ]


def import_summary(files: list[dict]) -> str:
    return "；".join(
        _("%(file)s: %(created)s new, %(updated)s updated, %(unchanged)s unchanged")
        % {
            "file": item["label"],
            "created": item["created"],
            "updated": item["updated"],
            "unchanged": item["unchanged"],
        }
        for item in files
    )


def _refused(count: int) -> str:
    return ngettext(
        "%(count)s problem found; nothing was imported.",
        "%(count)s problems found; nothing was imported.",
        count,
    ) % {"count": count}


def import_check(job, run) -> Outcome:
    """The dry run: the plan of what the import would change, or every bad row (then the upload goes)."""
    _administering(run.scope)
    path = _upload(job.params)
    try:
        result = bundle_import(
            path, dry_run=True, scope=run.scope, name=job.params.get("name", ""), progress=run.progress
        )
    except BundleInvalid as invalid:
        upload_discard(path)  # a refused bundle is of no further use
        return Outcome(
            report={"valid": False, **_errors(invalid.errors)}, message=_refused(len(invalid.errors))
        )
    return Outcome(
        report={"valid": True, "files": _files(result)},
        message=_("The bundle is valid. Read what it would change, then import it or discard it."),
    )


def import_apply(job, run) -> Outcome:
    """The import itself, in one transaction; the upload is deleted whether it succeeds or is refused."""
    _administering(run.scope)
    path = _upload(job.params)
    try:
        result = bundle_import(path, scope=run.scope, name=job.params.get("name", ""), progress=run.progress)
    except BundleInvalid as invalid:
        # The database changed since the dry run (or the rows did): refused whole, as the dry run would.
        raise JobRefused(
            _refused(len(invalid.errors)), report={"valid": False, **_errors(invalid.errors)}
        ) from None
    finally:
        upload_discard(path)
    files = _files(result)
    return Outcome(
        report={"files": files}, message=_("Imported. %(summary)s") % {"summary": import_summary(files)}
    )


def bundle_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """The whole bundle of the user's scope (the largest export there is), personal fields masked unless
    ``params["reason"]`` is given by one who may unmask (audited as one unmasked read)."""
    _administering(scope)
    counts = bundle_export(
        path,
        chinese_headers=bool(params.get("chinese_headers", True)),
        scope=scope,
        unmask_reason=str(params.get("reason", "")).strip(),
        progress=progress,
    )
    return {"rows": {str(FILE_LABELS.get(key, key)): count for key, count in counts.items()}}


def register() -> None:
    job_kind_register(
        JobKind(
            name="import.check",
            label=gettext_lazy("Check a data bundle"),
            run=import_check,
            template="exchange/job_import_check.html",
        )
    )
    job_kind_register(
        JobKind(
            name="import.apply",
            label=gettext_lazy("Import a data bundle"),
            run=import_apply,
            template="exchange/job_import_apply.html",
        )
    )
    export_register(
        "bundle",
        label=gettext_lazy("Data bundle"),
        write=bundle_export_job,
        formats=("xlsx", "zip"),
        file_prefix="sanling-bundle",
    )
