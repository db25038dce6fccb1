"""Reads of accounts: the user behind an API token; the accounts, departments and regions an
administrator manages."""

import hmac

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sanling.regions.models import Level, Region
from sanling.regions.selectors import REGION_SEARCH_LIMIT, region_matches

from .models import ApiToken
from .scope import ACCOUNT_LEVELS, Scope
from .services import password_fingerprint, token_hash

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION_SECONDS = 60


def api_token_lookup(key: str) -> ApiToken | None:
    """The usable token with this key, or None (unknown, revoked, expired, past the longest lifetime, its
    user disabled or their password changed since it was made)."""
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
        or not hmac.compare_digest(token.password_fingerprint, password_fingerprint(token.user))
    ):
        return None
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def region_picker_rows(
    scope: Scope, *, query: str = "", parent: Region | None = None
) -> tuple[list[Region], bool]:
    """Regions for the account form's picker, each with ``has_children`` and ``place`` (the names of its
    ancestors inside the scope): those whose name or code contains ``query``, else the children of
    ``parent``, else the top of the scope with its children. Returns at most REGION_SEARCH_LIMIT rows and
    whether there were more."""
    regions = scope.grantable_regions().annotate(
        has_children=Exists(Region.objects.filter(parent=OuterRef("pk"), level__in=ACCOUNT_LEVELS))
    )
    if query:
        regions = region_matches(regions, query)
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
