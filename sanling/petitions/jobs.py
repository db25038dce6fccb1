"""信访台账, 积案台账 and 信访代理台账 as background jobs (``sanling.jobs.exports``): the same filters, rows and
columns as ``views.petition_export``, ``backlog_export`` and ``agency_export``; a petitioner's or applicant's
identity always masked (unmasking, with a reason, stays with the synchronous export)."""

from pathlib import Path

from django.utils.translation import gettext_lazy

from sanling.accounts.scope import Scope
from sanling.core.ledger_jobs import ledger_write
from sanling.core.progress import ProgressCallback
from sanling.jobs.exports import export_register
from sanling.personal.fields import exported_fields, personal_columns
from sanling.subjects.models import Subject

from .exports import agency_columns, backlog_columns, petition_columns
from .filters import AgencyFilter, BacklogFilter, PetitionFilter
from .selectors import ledger_agency, ledger_backlog, ledger_petitions


def petitions_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """``params["query"]`` is the petition list's query string."""
    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=ledger_petitions(scope).defer(*personal_columns(Subject, "subject__")),
        filterset_class=PetitionFilter,
        sheet="信访台账",
        columns=petition_columns(False),
        filename="petitions",
        personal_fields=exported_fields("petition", clear=False),
    )


def backlog_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """``params["query"]`` is the 积案 ledger's query string."""
    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=ledger_backlog(scope),
        filterset_class=BacklogFilter,
        sheet="积案台账",
        columns=backlog_columns(),
        filename="backlog",
    )


def agency_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """``params["query"]`` is the 信访代理 list's query string."""
    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=ledger_agency(scope).defer(*personal_columns(Subject, "subject__")),
        filterset_class=AgencyFilter,
        sheet="信访代理台账",
        columns=agency_columns(False),
        filename="agency",
        personal_fields=exported_fields("agencycase", clear=False),
    )


def register() -> None:
    export_register(
        "petitions",
        label=gettext_lazy("Petition ledger (信访台账)"),
        write=petitions_export_job,
        file_prefix="petitions",
    )
    export_register(
        "backlog",
        label=gettext_lazy("Backlog ledger (积案台账)"),
        write=backlog_export_job,
        file_prefix="backlog",
    )
    export_register(
        "agency",
        label=gettext_lazy("Agency ledger (信访代理台账)"),
        write=agency_export_job,
        file_prefix="agency",
    )
