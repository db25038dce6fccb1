"""The subject list's Excel export as a background job, for a list too long to wait for: the same
filters, rows and workbook as ``views.subject_export``, contact data masked (unmasking stays with the
synchronous export, which asks for a reason)."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy

from sanling.accounts.scope import Scope
from sanling.assessment.selectors import default_period
from sanling.audit.services import audit_export
from sanling.core.progress import ProgressCallback
from sanling.core.workbooks import export_mark
from sanling.jobs.exports import export_register
from sanling.personal.fields import exported_fields

from .exports import subjects_workbook
from .filters import SubjectFilter


def subjects_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """``params["query"]`` is the list's query string (its filters and period)."""
    queryset = scope.subjects().select_related("region", "department").order_by("code")
    data = QueryDict(str(params.get("query", "")))
    filterset = SubjectFilter(data or None, queryset=queryset, scope=scope, default_period=default_period())
    if filterset.is_bound and not filterset.form.is_valid():
        raise ValidationError(
            [
                f"{filterset.form.fields[name].label if name in filterset.form.fields else ''}：{message}"
                for name, messages in filterset.form.errors.items()
                for message in messages
            ]
        )
    rows = filterset.qs
    count = rows.count()
    period = filterset.chosen_period
    mark = export_mark(scope=scope, what=f"创建主体（{count} 个，{period.label}）")
    path.write_bytes(subjects_workbook(rows, full_contact=False, period=period, mark=mark, progress=progress))
    audit_export(
        what="subjects",
        region_path=scope.region.path if scope.region else "",
        rows={"subjects": count},
        file_format="xlsx",
        personal_fields=exported_fields("subject", clear=False),
        filters=filterset.audited_query(),
        mark=mark.as_dict(),
    )
    return {"rows": {"创建主体": count}}


def register() -> None:
    export_register(
        "subjects", label=gettext_lazy("Subjects"), write=subjects_export_job, file_prefix="subjects"
    )
