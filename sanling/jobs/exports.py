"""Large Excel exports as jobs: ``job_start("export", owner, export=NAME, params={...})``.

An app registers each of its exports once (``export_register`` in its ``AppConfig.ready``): a name, a
label, and a function that writes the file for a scope. The function selects its rows in the scope it is
given (never more), writes the workbook at ``path``, watermarks and audits the export as the synchronous
export does, tells ``progress(done, total, message)`` as it goes, and returns its report (row counts). It
may raise ValidationError or JobRefused with a Chinese message for parameters it cannot honour.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .registry import JobKind, Outcome, job_kind_register

ExportWriter = Callable[..., dict]  # (*, scope, params, path, progress) -> report


@dataclass(frozen=True)
class ExportSpec:
    name: str
    label: str | Promise
    write: ExportWriter
    formats: tuple[str, ...] = ("xlsx",)  # the file formats it writes; params["format"] picks one
    file_prefix: str = ""  # the downloaded file's name begins with this (default: the export's name)


EXPORTS: dict[str, ExportSpec] = {}


def export_register(
    name: str,
    *,
    label: str | Promise,
    write: ExportWriter,
    formats: tuple[str, ...] = ("xlsx",),
    file_prefix: str = "",
) -> ExportSpec:
    """Make ``name`` an export that runs as a job: ``write(scope=, params=, path=, progress=)``; the file
    at ``path`` ends in the format chosen (``params["format"]``, one of ``formats``, the first by default)."""
    spec = ExportSpec(name=name, label=label, write=write, formats=formats, file_prefix=file_prefix or name)
    EXPORTS[name] = spec
    return spec


def _spec(params: dict) -> ExportSpec:
    try:
        return EXPORTS[params.get("export", "")]
    except (KeyError, TypeError):
        raise ValidationError(
            _("There is no export called “%(name)s”.") % {"name": params.get("export", "")}
        ) from None


def _format(spec: ExportSpec, params: dict) -> str:
    chosen = params.get("format") or spec.formats[0]
    if chosen not in spec.formats:
        raise ValidationError(
            _("This export is written as %(formats)s, not as “%(format)s”.")
            % {"formats": "、".join(spec.formats), "format": chosen}
        )
    return chosen


def _check(params: dict) -> None:
    spec = _spec(params)
    if not isinstance(params.get("params", {}), dict):
        raise ValidationError(_("The parameters of an export must be a JSON object."))
    _format(spec, params.get("params", {}))


def _run(job, run) -> Outcome:
    spec = _spec(job.params)
    params = job.params.get("params", {})
    file_name = f"{spec.file_prefix}-{timezone.localdate():%Y%m%d}.{_format(spec, params)}"
    path = run.file(file_name)
    report = spec.write(scope=run.scope, params=params, path=path, progress=run.progress)
    rows = sum(value for value in report.get("rows", {}).values() if isinstance(value, int))
    return Outcome(
        report={"export": spec.name, **report},
        message=_("%(label)s: %(rows)s rows written.") % {"label": spec.label, "rows": rows},
        file=path,
        file_name=file_name,
    )


def export_label(job) -> str:
    spec = EXPORTS.get(job.params.get("export", ""))
    return str(spec.label) if spec else job.params.get("export", "")


EXPORT = job_kind_register(
    JobKind(
        name="export",
        label=gettext_lazy("Export"),
        run=_run,
        check=_check,
        template="jobs/export_report.html",
        atomic=False,  # it writes only its file, kept only on success; a long read must block no writer
        retryable=True,
    )
)
