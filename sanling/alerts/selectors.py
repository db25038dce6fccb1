"""Reads of the 四色预警: each subject's colour with its reasons, each region's colour."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from sanling.accounts.scope import Scope
from sanling.regions.models import Region

# Most severe first: a subject takes the first colour any of its rules gives it.
COLOURS = ("red", "orange", "yellow", "blue")


@dataclass
class SubjectWarning:
    """A subject's colour on a day and why (one line per rule that gave it, in Chinese)."""

    subject_id: int
    subject_code: str
    subject_name: str
    region_id: int
    department_id: int | None
    group: str
    colour: str
    reasons: list[str] = field(default_factory=list)


def subject_warnings(
    *, region: Region, on: datetime.date, scope: Scope | None = None, colour: str | None = None
) -> list[SubjectWarning]:
    """The subjects of ``region``'s subtree (as ``scope`` may see them) that have a colour on ``on``, most
    severe first, then by subject code; only ``colour``'s if given."""
    return []  # contract stub: the alerts app fills it in (issue 16)


def region_colour(*, group: str, rate: Decimal | None, on: datetime.date | None = None) -> str:
    """The colour of a region whose ``group`` rate is ``rate`` under the thresholds in force on ``on``
    ("" when it is above every threshold or has no rate)."""
    return ""  # contract stub: the alerts app fills it in (issue 16)
