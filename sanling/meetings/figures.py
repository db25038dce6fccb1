"""Meeting figures per region and period: meetings held, community-months a monthly meeting was due, and
those missing ("“10”即每月召开一次会议")."""

import datetime
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.regions.models import Region, subtree_q

from .models import Meeting
from .selectors import monthly_status


@dataclass(frozen=True)
class MeetingFigures:
    """The meetings of one region in one period. ``communities_due`` counts community-months: a community
    that adopted a monthly kind owes one meeting in each month of the period that has ended."""

    region_code: str
    region_name: str
    period: str
    held: int
    communities_due: int
    communities_missing: int

    def rows(self) -> list[tuple[str, object]]:
        return [
            (_("Meetings held"), self.held),
            (_("Monthly meetings due"), self.communities_due),
            (_("Monthly meetings missing"), self.communities_missing),
        ]

    def as_dict(self) -> dict:
        return asdict(self)


def meeting_figures(
    *, region: Region, period: Period, scope: Scope | None = None, today: datetime.date | None = None
) -> MeetingFigures:
    """Three queries: the meetings held in the subtree in the period, the monthly adoptions, the months held."""
    meetings = Meeting.objects.filter(
        subtree_q(region.path, via="region__"), held_on__range=(period.start, period.end)
    )
    if scope is not None:
        meetings = meetings.filter(scope.region_q())
    due, missing = monthly_status(region, period, scope=scope, today=today)
    return MeetingFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        held=meetings.count(),
        communities_due=due,
        communities_missing=len(missing),
    )
