"""Reads of inspections and hazards: the lists a user may see, the overdue ones, who watches a hazard."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from sanling.accounts.models import Role
from sanling.accounts.scope import Scope
from sanling.regions.models import Region, codes_in_path

from .models import Hazard, HazardStatus, Inspection


def hazards_for(scope: Scope) -> QuerySet[Hazard]:
    """The hazards of the subjects ``scope`` sees."""
    if not scope.sees_business_data:
        return Hazard.objects.none()
    return Hazard.objects.filter(scope.subject_q("subject__")).select_related(
        "subject__region", "case", "grid", "owner_organisation"
    )


def inspections_for(scope: Scope) -> QuerySet[Inspection]:
    if not scope.sees_business_data:
        return Inspection.objects.none()
    return Inspection.objects.filter(scope.subject_q("subject__")).select_related("subject__region", "grid")


def overdue_q(on: datetime.date) -> Q:
    """Open hazards whose case was due before ``on``."""
    return Q(case__closed_on__isnull=True, case__due_on__lt=on)


def overdue_hazards(region: Region, on: datetime.date) -> QuerySet[Hazard]:
    """The hazards of subjects in ``region``'s subtree open and past their deadline on ``on`` (for
    ``sanling fieldwork overdue``), most overdue first."""
    return (
        Hazard.objects.filter(subject__region__path__startswith=region.path)
        .filter(overdue_q(on))
        .exclude(status=HazardStatus.CLOSED)
        .select_related("subject__region", "case", "grid", "owner_organisation")
        .order_by("case__due_on", "ref")
    )


def hazard_watchers(item) -> list:
    """Who besides the case's holders hears of an overdue hazard: its owner, the users of its subject's
    department, and the operators of its subject's town (each only if their scope covers the subject; the
    reminders check that)."""
    hazard = Hazard.objects.filter(case=item).select_related("owner_user", "subject__region").first()
    if hazard is None:
        return []
    subject = hazard.subject
    users = get_user_model().objects.filter(is_active=True)
    q = Q(profile__role=Role.TOWN_OPERATOR, profile__region__code__in=codes_in_path(subject.region.path))
    if subject.department_id:
        q |= Q(profile__role=Role.DEPARTMENT_USER, profile__department_id=subject.department_id)
    found = list(users.filter(q).distinct())
    if hazard.owner_user is not None and hazard.owner_user.is_active and hazard.owner_user not in found:
        found.insert(0, hazard.owner_user)
    return found
