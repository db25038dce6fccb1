"""Reads of key persons: the scoped list, the overdue visits and the schedule."""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.regions.models import Region, subtree_q

from .models import KeyPerson, KeyPersonVisit


def key_people(scope: Scope) -> QuerySet[KeyPerson]:
    """The key persons placed in ``scope``'s area (``Scope.region_q``; department users see none)."""
    return KeyPerson.objects.filter(scope.region_q()).select_related("region", "case", "handler")


def key_person_visits(scope: Scope) -> QuerySet[KeyPersonVisit]:
    return KeyPersonVisit.objects.filter(scope.region_q("person__")).select_related("person", "visitor")


def overdue_q(on: datetime.date) -> Q:
    """Managed persons whose next visit was due before ``on`` and not yet made."""
    return Q(active=True, case__closed_on__isnull=True, case__due_on__lt=on)


def overdue_visits(region: Region, on: datetime.date | None = None) -> QuerySet[KeyPerson]:
    """The managed key persons of ``region``'s subtree whose visit is overdue on ``on`` (today), the longest
    overdue first."""
    on = on or timezone.localdate()
    return (
        KeyPerson.objects.filter(subtree_q(region.path, via="region__"))
        .filter(overdue_q(on))
        .select_related("region", "case", "handler")
        .order_by("case__due_on", "ref")
    )


def visits_of(person: KeyPerson) -> list[KeyPersonVisit]:
    return list(person.visits.select_related("visitor").order_by("-visited_on", "-pk"))


def is_overdue(person: KeyPerson, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    case = person.case
    return person.active and case.closed_on is None and case.due_on is not None and case.due_on < on
