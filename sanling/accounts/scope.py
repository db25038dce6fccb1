"""The one scoping path: every screen, export and API query asks here what a user may see and change.

A user sees the subjects placed in their region's subtree, or (department users) the units of their
department, or both conditions together; events and disputes follow their subject. Regions are those in
the user's subtree and the path above it (for breadcrumbs), and only the subtree can be opened.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from sanling.departments.models import Department
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.regions.models import Region
from sanling.subjects.models import Subject

from .models import ADMIN_ROLES, WRITING_ROLES, Profile, Role


@dataclass(frozen=True)
class Scope:
    """What a user may see: ``region`` (its subtree) and/or ``department``; neither means everything."""

    role: str
    region: Region | None
    department: Department | None
    everything: bool = False

    @property
    def can_write(self) -> bool:
        return self.everything or self.role in WRITING_ROLES

    @property
    def can_administer(self) -> bool:
        return self.everything or self.role in ADMIN_ROLES

    @property
    def can_audit(self) -> bool:
        return self.everything or self.role == Role.AUDITOR

    def subject_q(self, prefix: str = "") -> Q:
        """The condition on subjects (or on ``<prefix>subject`` for events and disputes)."""
        if self.everything:
            return Q()
        condition = Q()
        if self.region is not None:
            condition &= Q(**{f"{prefix}region__path__startswith": self.region.path})
        if self.department is not None:
            condition &= Q(**{f"{prefix}department": self.department})
        if self.region is None and self.department is None:
            condition &= Q(pk__in=[])
        return condition

    def covers_region(self, region: Region) -> bool:
        """Whether ``region`` lies in the user's subtree (department users: any region)."""
        if self.everything or self.region is None:
            return self.everything or self.department is not None
        return region.path.startswith(self.region.path)

    def covers_place(self, region: Region, department: Department | None) -> bool:
        """Whether a subject placed at ``region`` under ``department`` would lie in this scope
        (the same condition as ``subject_q``, for a subject not yet saved)."""
        if self.everything:
            return True
        if self.region is None and self.department is None:
            return False
        if self.region is not None and not region.path.startswith(self.region.path):
            return False
        return self.department is None or (department is not None and department.pk == self.department.pk)

    @property
    def home(self) -> Region | None:
        """The region a user's dashboard opens on."""
        if self.region is not None:
            return self.region
        counties = Region.objects.filter(level="county").order_by("code")
        if self.department is not None:
            # A department belongs to a county: open on the county its units stand in.
            unit = Subject.objects.filter(department=self.department).select_related("region").first()
            if unit is not None:
                counties = counties.filter(code__in=unit.region.ancestor_codes) or counties
        return counties.first() or Region.objects.filter(parent__isnull=True).order_by("code").first()


NOTHING = Scope(role="", region=None, department=None)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    if not user.is_authenticated:
        return NOTHING
    if user.is_superuser:
        return Scope(role=Role.COUNTY_ADMIN, region=None, department=None, everything=True)
    profile = Profile.objects.select_related("region", "department").filter(user=user).first()
    if profile is None:
        return NOTHING
    return Scope(role=profile.role, region=profile.region, department=profile.department)


def subjects_for(user) -> QuerySet[Subject]:
    return Subject.objects.filter(scope_for(user).subject_q())


def events_for(user) -> QuerySet[Event]:
    return Event.objects.filter(scope_for(user).subject_q("subject__"))


def disputes_for(user) -> QuerySet[Dispute]:
    return Dispute.objects.filter(scope_for(user).subject_q("subject__"))


def regions_for(user) -> QuerySet[Region]:
    """Regions a user may open: their subtree (department users and admins: all)."""
    scope = scope_for(user)
    if scope.everything or (scope.region is None and scope.department is not None):
        return Region.objects.all()
    if scope.region is None:
        return Region.objects.none()
    return Region.objects.filter(path__startswith=scope.region.path)


def departments_for(user) -> QuerySet[Department]:
    scope = scope_for(user)
    if scope.department is not None:
        return Department.objects.filter(pk=scope.department.pk)
    return (
        Department.objects.all()
        if scope.everything or scope.region is not None
        else Department.objects.none()
    )


def get_object_for_user(queryset: QuerySet, **lookup):
    """The one object matching ``lookup`` inside an already scoped queryset, or 404."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def request_scope(request) -> Scope:
    """The scope of the request's user, worked out once per request."""
    if not hasattr(request, "_sanling_scope"):
        request._sanling_scope = scope_for(request.user)
    return request._sanling_scope
