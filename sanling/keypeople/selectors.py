"""Reads of key persons: the scoped list, the overdue visits and the schedule."""

import datetime

from django.db.models import Count, Q, QuerySet
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


def cross_area_duplicates(scope: Scope) -> list[list[KeyPerson]]:
    """Groups of managed records in ``scope``'s area that share an ID number (by its blind index): persons
    registered twice, typically in two towns whose writers could not be told of each other's record. Only
    a scope holding every record of a group sees it (a record outside the area hides its whole group), so
    the list says nothing about anyone outside the viewer's area. Two queries."""
    everyone = KeyPerson.objects.exclude(Q(id_index="") | Q(id_index__isnull=True)).filter(active=True)
    shared = everyone.values("id_index").annotate(n=Count("pk")).filter(n__gt=1).values_list("id_index", "n")
    counts = dict(shared)
    if not counts:
        return []
    rows = everyone.filter(scope.region_q(), id_index__in=list(counts)).select_related("region")
    groups: dict[str, list[KeyPerson]] = {}
    for person in rows.order_by("id_index", "ref"):
        groups.setdefault(person.id_index, []).append(person)
    return [group for index, group in groups.items() if len(group) == counts[index]]
