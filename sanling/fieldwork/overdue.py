"""The fieldwork past due on a day: hazards not rectified by their deadline and key-population visits not
made by theirs, as the domains count them (``hazards.selectors.overdue_hazards``,
``keypeople.selectors.overdue_visits``), in one list for ``sanling fieldwork overdue``."""

import datetime
from dataclasses import asdict, dataclass

from sanling.accounts.scope import Scope
from sanling.hazards.selectors import overdue_hazards
from sanling.keypeople.selectors import overdue_visits
from sanling.regions.models import Region
from sanling.work.deadlines import days_overdue
from sanling.work.models import WorkItem, WorkKind
from sanling.work.selectors import step_label

OVERDUE_COLUMNS = (
    ("kind", "类型"),
    ("ref", "编号"),
    ("title", "事项"),
    ("place", "所在主体"),
    ("step", "环节"),
    ("days_overdue", "超期天数"),
    ("due_on", "期限"),
    ("holder", "责任单位/人"),
)


@dataclass(frozen=True)
class OverdueRow:
    """One hazard or key-population visit past due on a day."""

    kind: str
    ref: str
    title: str
    place: str
    step: str
    due_on: datetime.date
    days_overdue: int
    holder: str

    def as_dict(self) -> dict:
        return {**asdict(self), "due_on": self.due_on.isoformat()}


def _holder(item: WorkItem) -> str:
    parts = [item.organisation.name if item.organisation else ""]
    if item.handler:
        parts.append(item.handler.get_full_name() or item.handler.get_username())
    return " ".join(part for part in parts if part)


def _hazard_rows(region: Region, on: datetime.date, scope: Scope | None) -> list[OverdueRow]:
    hazards = overdue_hazards(region, on).select_related("case__handler")
    if scope is not None:
        hazards = hazards.filter(scope.subject_q("subject__"))
    return [
        OverdueRow(
            kind=str(WorkKind.HAZARD.label),
            ref=hazard.ref,
            title=f"{hazard.get_level_display()} {hazard.category} {hazard.description}"[:80],
            place=hazard.subject.name,
            step=hazard.get_status_display(),
            due_on=hazard.case.due_on,
            days_overdue=days_overdue(hazard.case.due_on, on),
            holder=_holder(hazard.case) or hazard.owner_person,
        )
        for hazard in hazards
    ]


def _visit_rows(region: Region, on: datetime.date, scope: Scope | None) -> list[OverdueRow]:
    """The key persons whose visit is overdue: their case's title names the category and the masked name
    only (PIPL: no identity in a listing)."""
    people = overdue_visits(region, on)
    if scope is not None:
        people = people.filter(scope.region_q())
    return [
        OverdueRow(
            kind=str(WorkKind.KEY_VISIT.label),
            ref=person.ref,
            title=person.case.title,
            place=person.region.name,
            step=step_label(person.case.kind, person.case.step),
            due_on=person.case.due_on,
            days_overdue=days_overdue(person.case.due_on, on),
            holder=_holder(person.case),
        )
        for person in people.select_related("case__organisation", "case__handler")
    ]


def overdue_fieldwork(*, region: Region, on: datetime.date, scope: Scope | None = None) -> list[OverdueRow]:
    """Hazards, then key-population visits, of ``region``'s subtree past due on ``on``, most overdue first."""
    return _hazard_rows(region, on, scope) + _visit_rows(region, on, scope)
