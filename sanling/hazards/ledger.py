"""The 隐患台账: its columns (page and background job write the same), and the job itself."""

from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext_lazy

from sanling.core.record_lists import Column


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _overdue(hazard) -> str:
    case = hazard.case
    late = case.closed_on is None and case.due_on is not None and case.due_on < timezone.localdate()
    return "是" if late else ""


def _handler(case) -> str:
    return (case.handler.get_full_name() or case.handler.get_username()) if case.handler else ""


LEDGER_COLUMNS = [
    Column("编号", lambda hazard: hazard.ref),
    Column("发现日期", lambda hazard: hazard.found_on.isoformat()),
    Column("类别", lambda hazard: hazard.category),
    Column("等级", lambda hazard: hazard.get_level_display()),
    Column("隐患描述", lambda hazard: hazard.description),
    Column("来源", lambda hazard: hazard.get_source_display()),
    Column("排查编号", lambda hazard: hazard.inspection.ref if hazard.inspection_id else ""),
    Column("网格", lambda hazard: hazard.grid.name if hazard.grid_id else ""),
    Column("状态", lambda hazard: hazard.get_status_display()),
    Column(
        "整改责任单位", lambda hazard: hazard.owner_organisation.name if hazard.owner_organisation_id else ""
    ),
    Column("整改责任人", lambda hazard: hazard.owner_person or _handler(hazard.case)),
    Column("整改期限", lambda hazard: _iso(hazard.case.due_on)),
    Column("复查通过日期", lambda hazard: _iso(hazard.rectified_on)),
    Column("逾期", _overdue),
]


def hazards_export_job(*, scope, params: dict, path: Path, progress) -> dict:
    """``params["query"]`` is the hazard list's query string."""
    from sanling.core.ledger_jobs import ledger_write
    from sanling.core.record_lists import subject_columns
    from sanling.personal.fields import personal_columns
    from sanling.subjects.models import Subject

    from .filters import HazardFilter
    from .selectors import hazards_for

    rows = (
        hazards_for(scope)
        .select_related("case__handler", "inspection", "subject__department")
        .defer(*personal_columns(Subject, "subject__"))
    )
    return ledger_write(
        scope=scope,
        params=params,
        path=path,
        progress=progress,
        rows=rows,
        filterset_class=HazardFilter,
        sheet="隐患台账",
        columns=[*LEDGER_COLUMNS, *subject_columns()],
        filename="hazards",
    )


def register() -> None:
    from sanling.jobs.exports import export_register

    export_register(
        "hazards",
        label=gettext_lazy("Hazard ledger (隐患台账)"),
        write=hazards_export_job,
        file_prefix="hazards",
    )
