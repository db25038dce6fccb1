"""The one scoping path: every screen, export, import and API query asks a ``Scope`` what a user may see
and change, as NetBox's ``restrict()`` does: ``request_scope(request).subjects()``, ``.events()``,
``.disputes()``, ``.regions()``, ``.departments()``, and for the system and security
administrators ``.users()``, ``.managed_departments()`` and ``.grantable_regions()``.

What a user may *do* is one predicate per duty, so every page asks the same question: ``can_manage_accounts``
(system administrator), ``can_manage_security`` (security administrator), ``can_read_audit`` (auditor),
``can_change_business_data`` (the business roles), ``can_administer`` (a county administrator's imports and
bulk exports), ``can_configure`` (the data dictionary) and ``is_privileged`` (who must use a second factor).

A user sees the subjects placed in their region's subtree, or (department users) the units of their
department, or both conditions together; events and disputes follow their subject. Regions are those in
the user's subtree and the path above it (for breadcrumbs), and only the subtree can be opened.
"""

from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from sanling.departments.models import Department
from sanling.disputes.models import Dispute
from sanling.events.models import Event
from sanling.organisations.models import Organisation
from sanling.regions.models import Level, Region, subtree_q
from sanling.subjects.models import Subject

from .models import ADMIN_ROLES, DUTY_ROLES, PRIVILEGED_ROLES, WRITING_ROLES, Profile, Role

# Levels an account can be given: a county administrator down to a grid worker.
ACCOUNT_LEVELS = (Level.COUNTY, Level.TOWN, Level.VILLAGE, Level.GRID)


@dataclass(frozen=True)
class Scope:
    """What a user may see: ``region`` (its subtree) and/or ``department``; neither means everything.
    ``user_id`` is whose scope it is, so no one can grant or manage their own account."""

    role: str
    region: Region | None
    department: Department | None
    everything: bool = False
    user_id: int | None = None

    # One predicate per duty (三权分立). ``everything`` is the superuser's break-glass scope and the
    # operator's at the shell: it holds them all, and every use of it is audited.

    @property
    def can_change_business_data(self) -> bool:
        """Record and edit subjects, events and disputes (inside the scope)."""
        return self.everything or self.role in WRITING_ROLES

    can_write = can_change_business_data  # the name the pages and the API have used

    @property
    def records_places(self) -> bool:
        """Whether the user may record what is placed in a region only (posts, key persons, household
        visits, patrols, meetings): a writer placed in a region. A department's scope is its units, not
        places, so it records none of these."""
        return self.can_write and self.sees_business_data and (self.everything or self.region is not None)

    @property
    def can_supervise(self) -> bool:
        """Drive the campaign from above (issue 16): give 交办, record 督查 findings, issue the 四函 letters,
        write the monthly review's notes and send the reports. The county's and towns' operators and the
        departments do; grid workers and leaders do not."""
        return self.everything or (
            self.sees_business_data
            and self.role in (Role.COUNTY_ADMIN, Role.TOWN_OPERATOR, Role.DEPARTMENT_USER)
        )

    @property
    def can_set_rules(self) -> bool:
        """Set what the county measures itself by: targets, warning rules and their consequences, the
        四函 window and letter templates, the 考核 weights. The county administrator's."""
        return self.everything or self.role == Role.COUNTY_ADMIN

    @property
    def can_administer(self) -> bool:
        """A county administrator's business duties: import bundles, export the data in bulk. Not accounts."""
        return self.everything or self.role in ADMIN_ROLES

    @property
    def can_manage_accounts(self) -> bool:
        """The system administrator: create, rename and disable accounts, reset their passwords (to a
        one-time password), edit the configuration. Grants nothing and changes no business data."""
        return self.everything or self.role == Role.SYSTEM_ADMIN

    @property
    def can_manage_security(self) -> bool:
        """The security administrator: grant roles, regions and departments (inside their own scope, never
        to themselves), lift lockouts, set the policies. Creates no account and sets no password."""
        return self.everything or self.role == Role.SECURITY_ADMIN

    @property
    def can_read_audit(self) -> bool:
        """The auditor: read the audit trail of their subtree. Manages nothing."""
        return self.everything or self.role == Role.AUDITOR

    can_audit = can_read_audit  # the name the audit pages have used

    @property
    def can_see_accounts(self) -> bool:
        """The accounts list is for the two who manage accounts: one their identity, one their rights."""
        return self.can_manage_accounts or self.can_manage_security

    @property
    def can_configure(self) -> bool:
        """Edit what the whole deployment shares (the data dictionary): the system administrator of the
        deployment's only county, or the superuser."""
        return self.can_manage_accounts and self.runs_the_deployment

    @property
    def is_privileged(self) -> bool:
        """Whose account must be guarded best (a second factor): the three duties, county administrators
        and the superuser."""
        return self.everything or self.role in PRIVILEGED_ROLES

    @property
    def sees_business_data(self) -> bool:
        """The system and security administrators manage the system, not the campaign: least privilege
        keeps subjects, events and disputes (and the personal data in them) out of their sight."""
        return self.everything or self.role not in (DUTY_ROLES - {Role.AUDITOR})

    def subject_q(self, prefix: str = "") -> Q:
        """The condition on subjects (or on ``<prefix>subject`` for events and disputes)."""
        if self.everything:
            return Q()
        if not self.sees_business_data:
            return Q(pk__in=[])
        condition = Q()
        if self.region is not None:
            condition &= subtree_q(self.region.path, via=f"{prefix}region__")
        if self.department is not None:
            condition &= Q(**{f"{prefix}department": self.department})
        if self.region is None and self.department is None:
            condition &= Q(pk__in=[])
        return condition

    def region_q(self, prefix: str = "") -> Q:
        """The condition on records placed in a region only, with no department (posts, key persons,
        household visits, patrols, meetings: ``<prefix>region``): the user's subtree. A department user's
        scope is its units, not places, so it holds none of them."""
        if self.everything:
            return Q()
        if not self.sees_business_data or self.region is None:
            return Q(pk__in=[])
        return subtree_q(self.region.path, via=f"{prefix}region__")

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
        if (self.region is None and self.department is None) or not self.sees_business_data:
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

    # Casework (issue 17): cases follow their subject, as events and disputes do.

    def petitions(self):
        from sanling.petitions.models import Petition

        return Petition.objects.filter(self.subject_q("subject__"))

    def agency_cases(self):
        from sanling.petitions.models import AgencyCase

        return AgencyCase.objects.filter(self.subject_q("subject__"))

    def backlog(self):
        from sanling.petitions.models import Backlog

        return Backlog.objects.filter(self.subject_q("item__subject__"))

    def reachable_organisations(self) -> QuerySet[Organisation]:
        """Organisations a user reads and may hand a case to: those in their area (``organisations``) and
        those standing on the path above it, so a town sees the county bodies it escalates to."""
        from sanling.regions.models import codes_in_path

        if self.everything or self.region is None or not self.sees_business_data:
            return self.organisations()
        return Organisation.objects.filter(
            self.subject_q() | Q(region__code__in=codes_in_path(self.region.path))
        )

    def owned_organisations(self) -> QuerySet[Organisation]:
        """Organisations a county administrator may change: those standing in their own subtree."""
        if self.everything:
            return Organisation.objects.all()
        if not self.can_administer or self.region is None:
            return Organisation.objects.none()
        return Organisation.objects.filter(subtree_q(self.region.path, via="region__"))

    def members(self):
        """Accounts that may be named as an organisation's head or members: those working in the scope."""
        users = get_user_model().objects.filter(is_active=True)
        if self.everything:
            return users
        if self.region is not None:
            return users.filter(subtree_q(self.region.path, via="profile__region__"))
        if self.department is not None:
            return users.filter(profile__department=self.department)
        return users.none()

    # What the user may see. Each is a queryset to refine further; an object outside it does not exist for them.

    def subjects(self) -> QuerySet[Subject]:
        return Subject.objects.filter(self.subject_q())

    def events(self) -> QuerySet[Event]:
        return Event.objects.filter(self.subject_q("subject__"))

    def disputes(self) -> QuerySet[Dispute]:
        return Dispute.objects.filter(self.subject_q("subject__"))

    def work_items(self) -> QuerySet:
        """Cases (work items) at subjects in scope."""
        from sanling.work.models import WorkItem

        return WorkItem.objects.filter(self.subject_q("subject__"))

    def attachments(self) -> QuerySet:
        """Evidence on cases in scope."""
        from sanling.work.models import Attachment

        return Attachment.objects.filter(self.subject_q("item__subject__"))

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

    def organisations(self) -> QuerySet[Organisation]:
        """Organisations standing in the user's area: placed in their subtree, or (department users) their
        department's. An organisation has a region and a department as a subject does, so it is the same
        condition."""
        return Organisation.objects.filter(self.subject_q())

    # What the system and security administrators manage: accounts, the departments granted and the regions
    # given.

    def managed_departments(self) -> QuerySet[Department]:
        """Departments a security administrator grants, and whose users they and the system administrator
        manage.

        Departments are a flat list without a region; a department belongs to the county its units stand
        in. So an administrator manages a department when none of its units stands outside their subtree.
        A department with units in two counties belongs to neither county's administrator (a superuser
        manages it) rather than to both. A department with no units yet belongs to no county either, except
        where there is only one county: there its administrator may make the first account before the units
        are imported; elsewhere a second county's administrator could take over or watch another's.
        """
        if self.everything:
            return Department.objects.all()
        if not self.can_see_accounts or self.region is None:
            return Department.objects.none()
        units = Subject.objects.filter(department__isnull=False)
        outside = units.exclude(subtree_q(self.region.path, via="region__"))
        managed = Department.objects.exclude(pk__in=outside.values("department"))
        if not self.runs_the_deployment:
            managed = managed.filter(pk__in=units.values("department"))
        return managed

    @property
    def runs_the_deployment(self) -> bool:
        """Whether what the whole deployment shares (departments without units, the data dictionary) lies in
        this user's scope: the superuser's, or that of a county-level account where the deployment is that
        one county. With several counties those are the superuser's, or one county could change another's.
        What the user may do with it is their role's predicate (``can_configure``, ``managed_departments``)."""
        if self.everything:
            return True
        return (
            self.region is not None
            and self.region.level == Level.COUNTY
            and Region.objects.filter(level=Level.COUNTY).count() == 1
        )

    def users(self) -> QuerySet:
        """Accounts the system and security administrators see: those with a region in their subtree, and
        department users without a region of the departments they manage. Never a superuser (the
        break-glass account is the operator's, at the shell) and never their own (no one manages
        themselves)."""
        users = (
            get_user_model()
            .objects.select_related("profile__region", "profile__department")
            .order_by("username")
        )
        if self.everything:
            return users
        if not self.can_see_accounts or self.region is None:
            return users.none()
        return users.filter(
            subtree_q(self.region.path, via="profile__region__")
            | Q(profile__region__isnull=True, profile__department__in=self.managed_departments())
        ).exclude(Q(is_superuser=True) | Q(pk=self.user_id))

    def grantable_regions(self) -> QuerySet[Region]:
        """Regions a security administrator may give an account: their subtree, county level and below."""
        regions = Region.objects.filter(level__in=ACCOUNT_LEVELS)
        if self.everything:
            return regions
        if not self.can_manage_security or self.region is None:
            return regions.none()
        return regions.filter(subtree_q(self.region.path))


NOTHING = Scope(role="", region=None, department=None)
# A superuser's, and the operator's at the shell (``sanling import`` without ``--as``).
EVERYTHING = Scope(role=Role.COUNTY_ADMIN, region=None, department=None, everything=True)


def scope_for(user: AbstractBaseUser | AnonymousUser) -> Scope:
    if not user.is_authenticated:
        return NOTHING
    if user.is_superuser:
        return replace(EVERYTHING, user_id=user.pk)
    profile = Profile.objects.select_related("region", "department").filter(user=user).first()
    if profile is None or not profile.role:  # no role granted yet: nothing
        return replace(NOTHING, user_id=user.pk)
    return Scope(role=profile.role, region=profile.region, department=profile.department, user_id=user.pk)


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
