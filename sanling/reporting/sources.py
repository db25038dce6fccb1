"""What can be reported (the registry a duty names): for each source, who can report it and, for a window of
days, which places (region codes on the path) and which departments reported something in it.

* ``events``: events recorded (by the day they occurred) at subjects of the place or department;
* ``visits``: household visits (sanling.visits) in the place;
* ``meetings``: community meetings (sanling.meetings) held in the place;
* ``assignment_feedback``: 交办 due in the window fed back by their deadline (sanling.assignments): here
  "not reported" means an assignment due in the window that was not fed back in time;
* ``hazard_inspections``: hazard inspections (sanling.hazards) at subjects of the place, or by or under the
  department.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from sanling.regions.models import codes_in_path

REGION_LEVELS = ("town", "village")
ALL_LEVELS = ("town", "village", "department")


@dataclass(frozen=True)
class Reported:
    """Who reported in a window: region codes (every code on the path of a record's place) and department ids;
    for a source counted by what is missing, how many are missing per region code and per department."""

    codes: set
    departments: set
    missing_by_code: dict | None = None
    missing_by_department: dict | None = None


@dataclass(frozen=True)
class Source:
    label: object
    missing: str  # what the list says is missing, after the window's name: "无走访记录"
    levels: tuple
    reported: Callable[[str, datetime.date, datetime.date], Reported]


def _codes(paths) -> set:
    codes = set()
    for path in paths:
        codes.update(codes_in_path(path))
    return codes


def _events(root: str, start, end) -> Reported:
    from sanling.events.models import Event

    rows = Event.objects.filter(subject__region__path__startswith=root, occurred_on__range=(start, end))
    return Reported(
        codes=_codes(rows.values_list("subject__region__path", flat=True).distinct()),
        departments=set(rows.exclude(subject__department=None).values_list("subject__department", flat=True)),
    )


def _visits(root: str, start, end) -> Reported:
    from sanling.visits.models import HouseholdVisit

    rows = HouseholdVisit.objects.filter(region__path__startswith=root, visited_on__range=(start, end))
    return Reported(codes=_codes(rows.values_list("region__path", flat=True).distinct()), departments=set())


def _meetings(root: str, start, end) -> Reported:
    from sanling.meetings.models import Meeting

    rows = Meeting.objects.filter(region__path__startswith=root, held_on__range=(start, end))
    return Reported(codes=_codes(rows.values_list("region__path", flat=True).distinct()), departments=set())


def _inspections(root: str, start, end) -> Reported:
    from sanling.hazards.models import Inspection

    rows = Inspection.objects.filter(subject__region__path__startswith=root, inspected_on__range=(start, end))
    departments = set(rows.exclude(department=None).values_list("department", flat=True))
    departments |= set(rows.exclude(subject__department=None).values_list("subject__department", flat=True))
    return Reported(
        codes=_codes(rows.values_list("subject__region__path", flat=True).distinct()), departments=departments
    )


def _assignment_feedback(root: str, start, end) -> Reported:
    from sanling.assignments.models import Assignment

    late = Assignment.objects.filter(region__path__startswith=root, due_on__range=(start, end)).filter(
        Q(fed_back_on__isnull=True) | Q(fed_back_on__gt=F("due_on"))
    )
    by_code: dict[str, int] = {}
    by_department: dict[int, int] = {}
    for path, department in late.values_list("region__path", "department"):
        for code in codes_in_path(path):
            by_code[code] = by_code.get(code, 0) + 1
        if department is not None:
            by_department[department] = by_department.get(department, 0) + 1
    return Reported(
        codes=set(), departments=set(), missing_by_code=by_code, missing_by_department=by_department
    )


SOURCES: dict[str, Source] = {
    "events": Source(_("Events recorded"), "无事件上报记录", ALL_LEVELS, _events),
    "visits": Source(_("Household visits"), "无入户走访记录", REGION_LEVELS, _visits),
    "meetings": Source(_("Community meetings"), "无议事会议记录", REGION_LEVELS, _meetings),
    "assignment_feedback": Source(
        _("Assignment feedback due"), "件交办未按期反馈", ALL_LEVELS, _assignment_feedback
    ),
    "hazard_inspections": Source(_("Hazard inspections"), "无隐患排查记录", ALL_LEVELS, _inspections),
}

# The default duties a county starts with (ours: the seeds say "盯报表" without naming the reports). Villages
# visit weekly (the grid worker's rhythm), towns and departments feed back 交办 weekly (一周一交办), towns
# inspect for hazards monthly, departments quarterly.
DEFAULT_DUTIES = (
    ("village", "visits", "week"),
    ("town", "assignment_feedback", "week"),
    ("town", "hazard_inspections", "month"),
    ("department", "assignment_feedback", "week"),
    ("department", "hazard_inspections", "quarter"),
)
