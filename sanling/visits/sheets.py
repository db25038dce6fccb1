"""The 走访台账 (Excel ledger) of exactly the filtered rows of the visit list, written now or as a background
job (``sanling.jobs.exports``), watermarked and audited (``core.ledger_jobs.ledger_write``). A visit holds no
personal data beyond the house number and the visitor's name, both in the ledger as on the list."""

from pathlib import Path

from django.utils.translation import gettext_lazy

from sanling.accounts.scope import Scope
from sanling.core.ledger_jobs import ledger_write
from sanling.core.progress import ProgressCallback
from sanling.core.record_lists import Column
from sanling.jobs.exports import export_register

from .filters import VisitFilter
from .selectors import theme_labels, visits_for

SHEET = "走访台账"


def ledger_columns() -> list[Column]:
    labels = theme_labels()
    return [
        Column("编号", lambda visit: visit.ref),
        Column("走访日期", lambda visit: visit.visited_on.isoformat()),
        Column("属地", lambda visit: visit.region.name),
        Column("属地代码", lambda visit: visit.region.code),
        Column("门牌号", lambda visit: visit.household),
        Column("走访主题", lambda visit: labels.get(visit.theme, visit.theme)),
        Column("走访人次", lambda visit: visit.persons_met),
        Column("走访人", lambda visit: visit.visitor_name),
        Column(
            "网格岗位",
            lambda visit: f"{visit.post.region.name} {visit.post.holder_name}" if visit.post_id else "",
        ),
        Column("发现问题", lambda visit: visit.findings),
        Column("纠纷编号", lambda visit: visit.dispute.ref if visit.dispute_id else ""),
    ]


def visits_ledger(*, scope: Scope, params: dict, path, progress: ProgressCallback | None) -> dict:
    """``params["query"]`` is the visit list's query string; ``path`` a file path or a binary buffer."""
    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=visits_for(scope).select_related("post__region").order_by("-visited_on", "ref"),
        filterset_class=VisitFilter,
        sheet=SHEET,
        columns=ledger_columns(),
        filename="visits",
    )


def visits_export_job(*, scope: Scope, params: dict, path: Path, progress: ProgressCallback) -> dict:
    return visits_ledger(scope=scope, params=params, path=path, progress=progress)


def register() -> None:
    export_register(
        "visits",
        label=gettext_lazy("Household visit ledger (走访台账)"),
        write=visits_export_job,
        file_prefix="visits",
    )
