"""重点人群台账 as a background job (``sanling.jobs.exports``): the list's filters, the rows and columns of the
synchronous ledger, identities always masked (unmasking, with a reason, stays with the synchronous export)."""

from pathlib import Path

from django.utils.translation import gettext_lazy

from sanling.accounts.scope import Scope
from sanling.core.ledger_jobs import ledger_write
from sanling.core.progress import ProgressCallback
from sanling.jobs.exports import export_register
from sanling.personal.fields import exported_fields


def key_people_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    """``params["query"]`` is the key-person list's query string."""
    from .exports import LEDGER, ledger_columns, ledger_rows
    from .filters import KeyPersonFilter
    from .selectors import key_people

    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=ledger_rows(key_people(scope)),
        filterset_class=KeyPersonFilter,
        sheet=LEDGER,
        columns=ledger_columns(False),
        filename="key_people",
        personal_fields=exported_fields("keyperson", clear=False),
    )


def register() -> None:
    export_register(
        "key_people",
        label=gettext_lazy("Key-population ledger (重点人群台账)"),
        write=key_people_export_job,
        file_prefix="key_people",
    )
