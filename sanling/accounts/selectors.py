"""Reads of accounts: the user behind an API token; the accounts, departments and regions an
administrator manages."""

import hmac

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sanling.departments.models import Department
from sanling.regions.models import Level, Region
from sanling.subjects.models import Subject

from .models import ApiToken
from .scope import Scope
from .services import token_hash

# Levels an account can be given: a county administrator down to a grid worker.
ACCOUNT_LEVELS = (Level.COUNTY, Level.TOWN, Level.VILLAGE, Level.GRID)

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION_SECONDS = 60


def api_token_lookup(key: str) -> ApiToken | None:
    """The usable token with this key, or None (unknown, revoked, expired or inactive user)."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "sl":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    now = timezone.now()
    if (
        token is None
        or not hmac.compare_digest(token.key_hash, token_hash(key))
        or not token.usable_at(now)
        or not token.user.is_active
    ):
        return None
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def managed_departments(scope: Scope) -> QuerySet[Department]:
    """Departments an administrator grants and whose users they manage.

    Departments are a flat list without a region; a department belongs to the county its units stand in.
    So an administrator manages a department when none of its units stands outside their subtree: every
    department of their county, and a department with no units yet, so that its first account can be
    made before its units are imported. A department with units in two counties belongs to neither
    county's administrator (a superuser manages it) rather than to both.
    """
    if scope.everything:
        return Department.objects.all()
    if not scope.can_administer or scope.region is None:
        return Department.objects.none()
    outside = Subject.objects.filter(department__isnull=False).exclude(
        region__path__startswith=scope.region.path
    )
    return Department.objects.exclude(pk__in=outside.values("department"))


def manageable_users(scope: Scope) -> QuerySet:
    """Accounts an administrator sees and edits: those with a region in their subtree, and department users
    (who have no region) of the departments they manage."""
    users = (
        get_user_model().objects.select_related("profile__region", "profile__department").order_by("username")
    )
    if scope.everything:
        return users
    if not scope.can_administer or scope.region is None:
        return users.none()
    return users.filter(
        Q(profile__region__path__startswith=scope.region.path)
        | Q(profile__region__isnull=True, profile__department__in=managed_departments(scope))
    )


def grantable_regions(scope: Scope) -> QuerySet[Region]:
    """Regions an administrator may give an account: their subtree, county level and below."""
    regions = Region.objects.filter(level__in=ACCOUNT_LEVELS)
    if scope.everything:
        return regions
    if not scope.can_administer or scope.region is None:
        return regions.none()
    return regions.filter(path__startswith=scope.region.path)


REGION_SEARCH_LIMIT = 30


def region_picker_rows(
    scope: Scope, *, query: str = "", parent: Region | None = None
) -> tuple[list[Region], bool]:
    """Regions for the account form's picker, each with ``has_children`` and ``place`` (the names of its
    ancestors inside the scope): those whose name or code contains ``query``, else the children of
    ``parent``, else the top of the scope with its children. Returns at most REGION_SEARCH_LIMIT rows and
    whether there were more."""
    regions = grantable_regions(scope).annotate(
        has_children=Exists(Region.objects.filter(parent=OuterRef("pk"), level__in=ACCOUNT_LEVELS))
    )
    if query:
        regions = regions.filter(Q(name__contains=query) | Q(code__startswith=query))
    elif parent is not None:
        regions = regions.filter(parent=parent)
    elif scope.region is not None:
        regions = regions.filter(Q(pk=scope.region.pk) | Q(parent=scope.region))
    else:  # a superuser: the tops of the tree
        regions = regions.filter(level=Level.COUNTY)
    rows = list(regions.order_by("path")[: REGION_SEARCH_LIMIT + 1])
    more = len(rows) > REGION_SEARCH_LIMIT
    rows = rows[:REGION_SEARCH_LIMIT]
    top = len(scope.region.ancestor_codes) if scope.region is not None else 0
    codes = {code for row in rows for code in row.ancestor_codes[top:]}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    for row in rows:
        row.place = " / ".join(names[code] for code in row.ancestor_codes[top:] if code in names)
    return rows, more
