"""The 矛盾纠纷台账 as a background job (``sanling.jobs.exports``): the same filters, rows and columns as
``views.dispute_export``. The parties, the only personal data of a dispute, stay out of the ledger."""

from pathlib import Path

from django.utils.translation import gettext_lazy

from sanling.accounts.scope import Scope
from sanling.core.ledger_jobs import ledger_write
from sanling.core.progress import ProgressCallback
from sanling.core.record_lists import subject_columns
from sanling.jobs.exports import export_register
from sanling.personal.fields import personal_columns
from sanling.subjects.models import Subject

from .filters import DisputeFilter
from .views import EXPORT_COLUMNS


def disputes_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """``params["query"]`` is the dispute list's query string."""
    rows = (
        scope.disputes()
        .select_related(
            "case__organisation", "case__handler", "subject", "subject__region", "subject__department"
        )
        .defer(*personal_columns(Subject, "subject__"))
    )
    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=rows,
        filterset_class=DisputeFilter,
        sheet="矛盾纠纷台账",
        columns=[*EXPORT_COLUMNS, *subject_columns()],
        filename="disputes",
    )


def register() -> None:
    export_register(
        "disputes",
        label=gettext_lazy("Dispute ledger (矛盾纠纷台账)"),
        write=disputes_export_job,
        file_prefix="disputes",
    )
