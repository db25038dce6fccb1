"""Key-population visit figures per region and period (逐人见面、回访排查): how many people are managed,
how many visits fell due, how many were made on time, how many are overdue, and the completion rate.

Definitions (ours; the seeds give none):
- ``people``: managed key persons placed in the region's subtree.
- ``due``: visits that fell due in the period up to the day the figures are taken on (the period's last day, or
  today while it runs): visits made whose due date lay there, plus persons still waiting for a visit due there.
- ``done_on_time``: of those, the visits made on or before their due date.
- ``visits``: visits made in the period (人次), on time or not.
- ``overdue``: managed persons whose next visit is overdue on that day — a warning.
- ``completion_rate`` = done_on_time ÷ due (%), None when nothing fell due.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import rate_percent
from sanling.regions.models import Region, subtree_q

from .models import KeyPerson, KeyPersonVisit


@dataclass(frozen=True)
class KeyVisitFigures:
    region_code: str
    region_name: str
    period: str
    on: datetime.date  # the day the figures are taken on
    people: int
    due: int
    done_on_time: int
    visits: int
    overdue: int
    completion_rate: Decimal | None

    @property
    def warning(self) -> bool:
        """A missed visit is a warning on every panel that shows these figures."""
        return self.overdue > 0

    def rows(self) -> list[tuple[str, object]]:
        return [
            (pgettext("key people", "Key persons managed"), self.people),
            (pgettext("key people", "Visits due"), self.due),
            (pgettext("key people", "Visited on time"), self.done_on_time),
            (_("Visits made (人次)"), self.visits),
            (pgettext("key people", "Visits overdue"), self.overdue),
            (
                _("Visit completion rate (%)"),
                self.completion_rate if self.completion_rate is not None else "—",
            ),
        ]

    def as_dict(self) -> dict:
        data = asdict(self)
        data["on"] = self.on.isoformat()
        data["warning"] = self.warning
        return {key: float(value) if isinstance(value, Decimal) else value for key, value in data.items()}


def key_visit_figures(
    *, region: Region, period: Period, scope: Scope | None = None, today: datetime.date | None = None
) -> KeyVisitFigures:
    """The figures of ``region`` for ``period`` (limited to ``scope`` when given): four counting queries."""
    on = min(period.end, today or timezone.localdate())
    people = KeyPerson.objects.filter(subtree_q(region.path, via="region__"))
    if scope is not None:
        people = people.filter(scope.region_q())
    visits = KeyPersonVisit.objects.filter(person__in=people.values("pk"))
    window = Q(was_due_on__gte=period.start, was_due_on__lte=on)
    made_due = visits.filter(window).count()
    on_time = visits.filter(window, visited_on__lte=F("was_due_on")).count()
    waiting = people.filter(
        active=True, case__closed_on__isnull=True, case__due_on__gte=period.start, case__due_on__lte=on
    ).count()
    overdue = people.filter(active=True, case__closed_on__isnull=True, case__due_on__lt=on).count()
    due = made_due + waiting
    return KeyVisitFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        on=on,
        people=people.filter(active=True).count(),
        due=due,
        done_on_time=on_time,
        visits=visits.filter(visited_on__gte=period.start, visited_on__lte=period.end).count(),
        overdue=overdue,
        completion_rate=rate_percent(on_time, due),
    )
