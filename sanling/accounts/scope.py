"""The one scoping path: every screen, export, import and API query asks a ``Scope`` what a user may see
and change, as NetBox's ``restrict()`` does: ``request_scope(request).subjects()``, ``.events()``,
``.disputes()``, ``.regions()``, ``.departments()``, and for administrators ``.users()``,
``.managed_departments()`` and ``.grantable_regions()``.

A user sees the subjects placed in their region's subtree, or (department users) the units of their
department, or both conditions together; events and disputes follow their subject. Regions are those in
the user's subtree and the path above it (for breadcrumbs), and only the subtree can be opened.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from sanling.departments.models import Department
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.regions.models import Level, Region, subtree_q
from sanling.subjects.models import Subject

from .models import ADMIN_ROLES, WRITING_ROLES, Profile, Role

# Levels an account can be given: a county administrator down to a grid worker.
ACCOUNT_LEVELS = (Level.COUNTY, Level.TOWN, Level.VILLAGE, Level.GRID)


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
            condition &= subtree_q(self.region.path, via=f"{prefix}region__")
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

    # What the user may see. Each is a queryset to refine further; an object outside it does not exist for them.

    def subjects(self) -> QuerySet[Subject]:
        return Subject.objects.filter(self.subject_q())

    def events(self) -> QuerySet[Event]:
        return Event.objects.filter(self.subject_q("subject__"))

    def disputes(self) -> QuerySet[Dispute]:
        return Dispute.objects.filter(self.subject_q("subject__"))

    def regions(self) -> QuerySet[Region]:
        """Regions a user may open: their subtree (department users and the superuser: all)."""
        if self.everything or (self.region is None and self.department is not None):
            return Region.objects.all()
        if self.region is None:
            return Region.objects.none()
        return Region.objects.filter(subtree_q(self.region.path))

    def departments(self) -> QuerySet[Department]:
        if self.department is not None:
            return Department.objects.filter(pk=self.department.pk)
        return (
            Department.objects.all()
            if self.everything or self.region is not None
            else Department.objects.none()
        )

    # What an administrator manages: accounts, the departments they grant and the regions they give.

    def managed_departments(self) -> QuerySet[Department]:
        """Departments an administrator grants and whose users they manage.

        Departments are a flat list without a region; a department belongs to the county its units stand
        in. So an administrator manages a department when none of its units stands outside their subtree.
        A department with units in two counties belongs to neither county's administrator (a superuser
        manages it) rather than to both. A department with no units yet belongs to no county either, except
        where there is only one county: there its administrator may make the first account before the units
        are imported; elsewhere a second county's administrator could take over or watch another's.
        """
        if self.everything:
            return Department.objects.all()
        if not self.can_administer or self.region is None:
            return Department.objects.none()
        units = Subject.objects.filter(department__isnull=False)
        outside = units.exclude(subtree_q(self.region.path, via="region__"))
        managed = Department.objects.exclude(pk__in=outside.values("department"))
        if not self.runs_the_deployment:
            managed = managed.filter(pk__in=units.values("department"))
        return managed

    @property
    def runs_the_deployment(self) -> bool:
        """Whether what the whole deployment shares (departments without units, the data dictionary) is this
        user's to manage: the superuser's, or a county administrator's where the deployment is that one
        county. With several counties those are the superuser's, or one county could change another's."""
        if self.everything:
            return True
        return (
            self.can_administer
            and self.region is not None
            and Region.objects.filter(level=Level.COUNTY).count() == 1
        )

    def users(self) -> QuerySet:
        """Accounts an administrator sees and edits: those with a region in their subtree, and department
        users (who have no region) of the departments they manage."""
        users = (
            get_user_model()
            .objects.select_related("profile__region", "profile__department")
            .order_by("username")
        )
        if self.everything:
            return users
        if not self.can_administer or self.region is None:
            return users.none()
        return users.filter(
            subtree_q(self.region.path, via="profile__region__")
            | Q(profile__region__isnull=True, profile__department__in=self.managed_departments())
        )

    def grantable_regions(self) -> QuerySet[Region]:
        """Regions an administrator may give an account: their subtree, county level and below."""
        regions = Region.objects.filter(level__in=ACCOUNT_LEVELS)
        if self.everything:
            return regions
        if not self.can_administer or self.region is None:
            return regions.none()
        return regions.filter(subtree_q(self.region.path))


NOTHING = Scope(role="", region=None, department=None)
# A superuser's, and the operator's at the shell (``sanling import`` without ``--as``).
EVERYTHING = Scope(role=Role.COUNTY_ADMIN, region=None, department=None, everything=True)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    if not user.is_authenticated:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    profile = Profile.objects.select_related("region", "department").filter(user=user).first()
    if profile is None:
        return NOTHING
    return Scope(role=profile.role, region=profile.region, department=profile.department)


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
