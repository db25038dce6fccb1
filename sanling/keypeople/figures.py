"""Key-population visit figures per region and period (逐人见面、回访排查): how many people are managed,
how many visits fell due, how many were made on time, how many are overdue, and the completion rate.

Definitions (ours; the seeds give none). Every figure is computed from the history as it stood on the day the
figures are taken on (``on``: the period's last day, or today while it runs), so a past period's figures do
not change when a late visit is made or a person is registered today:
- ``people``: key persons placed in the region's subtree, registered by the period's end and not released
  before its start.
- the due date in force on a day D: the ``next_due_on`` of the person's last visit on or before D; before
  their first visit, the due date set at registration (the ``was_due_on`` of their first visit, or while
  there is none, their work item's due date).
- ``due``: visits due in the period: the visits made by ``on`` whose due date lies in the period (one made
  early, before a due date later in the month, counts: the month's visit is done), plus the persons managed
  on ``on`` whose due date in force lies between the period's start and ``on`` (not yet visited).
- ``done_on_time``: of the visits made, those made on or before their due date.
- ``visits``: visits made in the period (人次), on time or not.
- ``overdue``: persons managed on ``on`` whose due date in force then lies before ``on`` — a warning.
- ``completion_rate`` = done_on_time ÷ due (%), None when nothing fell due.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
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
    """The figures of ``region`` for ``period`` (limited to ``scope`` when given), from the visits' history:
    four counting queries (the due date in force is a subquery, no query per person)."""
    on = min(period.end, today or timezone.localdate())
    placed = KeyPerson.objects.filter(subtree_q(region.path, via="region__"))
    if scope is not None:
        placed = placed.filter(scope.region_q())
    people = placed.filter(registered_on__lte=period.end).exclude(case__closed_on__lt=period.start)
    visits = KeyPersonVisit.objects.filter(person__in=placed.values("pk"))
    made = visits.filter(
        visited_on__lte=on, was_due_on__gte=period.start, was_due_on__lte=period.end
    ).aggregate(due=Count("pk"), on_time=Count("pk", filter=Q(visited_on__lte=F("was_due_on"))))
    of_person = KeyPersonVisit.objects.filter(person=OuterRef("pk"))
    due_in_force = Coalesce(
        Subquery(
            of_person.filter(visited_on__lte=on).order_by("-visited_on", "-pk").values("next_due_on")[:1]
        ),
        Subquery(of_person.filter(visited_on__gt=on).order_by("visited_on", "pk").values("was_due_on")[:1]),
        F("case__due_on"),
    )
    managed_on = (
        placed.filter(registered_on__lte=on)
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on))
        .annotate(due_then=due_in_force)
        .aggregate(
            waiting=Count("pk", filter=Q(due_then__gte=period.start, due_then__lte=on)),
            overdue=Count("pk", filter=Q(due_then__lt=on)),
        )
    )
    due = made["due"] + managed_on["waiting"]
    return KeyVisitFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        on=on,
        people=people.count(),
        due=due,
        done_on_time=made["on_time"],
        visits=visits.filter(visited_on__gte=period.start, visited_on__lte=period.end).count(),
        overdue=managed_on["overdue"],
        completion_rate=rate_percent(made["on_time"], due),
    )
