"""Reads of 交办: assignments and how many were done in time."""

from dataclasses import dataclass

from sanling.assessment.periods import Period
from sanling.departments.models import Department
from sanling.regions.models import Region


@dataclass
class AssignmentFigures:
    """Assignments given in a period to organisations of a region (or of a department)."""

    total: int = 0
    done: int = 0
    overdue: int = 0  # open past their deadline, or done after it
    open: int = 0


def assignment_figures(
    *, region: Region, period: Period, department: Department | None = None
) -> AssignmentFigures:
    """Assignments given in ``period`` to organisations in ``region``'s subtree (to ``department``'s if given)."""
    return AssignmentFigures()  # contract stub: the assignments app fills it in (issue 16)
