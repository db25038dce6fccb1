"""Writes of sectors (片区) and posts: one path for pages, the API, the importer, the admin and the demo.

Each write takes the writer's ``scope`` (None: the shell, a migration, the demo): a post or a sector outside
it is refused with a Chinese error and nothing is written.
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version
from sanling.core.validators import normalize_phone
from sanling.dictionary.models import EntryType
from sanling.dictionary.services import check_choice
from sanling.regions.models import BELOW_VILLAGE_LEVELS, Level, Region

from .models import Post, PostRequirement, Sector
from .selectors import linkable_users

POST_LEVELS = (Level.TOWN, Level.VILLAGE, Level.GRID, Level.BUILDING)
POST_EDITABLE = ("region", "sector", "post_type", "holder_name", "phone", "user", "started_on", "ended_on")
User = get_user_model()


def _check_scope(scope: Scope | None, region: Region, *, field: str) -> None:
    """A writer may place a post or a sector only in their own subtree, and only if they write at all."""
    if scope is None:
        return
    # Posts are placed in regions: a department's users (no region) have none of their own to change.
    in_area = scope.everything or (scope.region is not None and scope.covers_region(region))
    if not (scope.can_write and in_area):
        raise ValidationError(
            {field: _("%(name)s is outside your area: you cannot change its posts.") % {"name": region.name}}
        )


def _check_post(post: Post, *, scope: Scope | None, stored_type: str | None = None) -> None:
    check_choice(EntryType.POST_TYPE, post.post_type, field="post_type", stored=stored_type)
    if not post.post_type:
        raise ValidationError({"post_type": _("Choose a post.")})
    if post.region_id is None:
        raise ValidationError({"region": _("Choose where the post is.")})
    if post.region.level not in POST_LEVELS:
        raise ValidationError({"region": _("A post is held in a town, village, grid or building.")})
    _check_scope(scope, post.region, field="region")
    if post.user_id is not None and scope is not None and not scope.everything:
        # A writer links only logins of their own area (the holder's account, in their subtree).
        if not linkable_users(scope).filter(pk=post.user_id).exists():
            raise ValidationError({"user": _("This login is not one of your area's accounts.")})
    post.phone = normalize_phone(post.phone or "")


@transaction.atomic
def sector_create(
    *,
    town: Region,
    code: str,
    name: str,
    villages: Iterable[Region] = (),
    scope: Scope | None = None,
    actor=None,
) -> Sector:
    """Group villages of ``town`` into a sector (片区, the town's 一级网格)."""
    _check_scope(scope, town, field="town")
    sector = Sector(town=town, code=code.strip(), name=name.strip())
    sector.full_clean()
    villages = list(villages)
    _check_villages(town, villages)
    sector.save()
    sector.villages.set(villages)
    audit_change(Action.CREATE, after=sector)
    return sector


@transaction.atomic
def sector_update(
    *,
    sector: Sector,
    version: int | None,
    name: str | None = None,
    villages: Iterable[Region] | None = None,
    scope: Scope | None = None,
) -> Sector:
    """Rename a sector or change its villages; a stale ``version`` changes nothing."""
    _check_scope(scope, sector.town, field="town")
    current = lock_for_edit(sector, version)
    before = snapshot(current)
    if name is not None:
        current.name = name.strip()
    save_next_version(current)
    if villages is not None:
        villages = list(villages)
        _check_villages(current.town, villages)
        current.villages.set(villages)
    audit_change(Action.UPDATE, before=before, after=current)
    return current


def _check_villages(town: Region, villages: list[Region]) -> None:
    stray = [
        village.name for village in villages if village.level != Level.VILLAGE or village.parent_id != town.pk
    ]
    if stray:
        raise ValidationError(
            {
                "villages": _("Not villages of %(town)s: %(names)s.")
                % {"town": town.name, "names": "、".join(stray)}
            }
        )


@transaction.atomic
def post_create(
    *,
    region: Region,
    post_type: str,
    holder_name: str,
    started_on: datetime.date,
    phone: str = "",
    user=None,
    ended_on: datetime.date | None = None,
    sector: Sector | None = None,
    scope: Scope | None = None,
) -> Post:
    """Record who holds ``post_type`` in ``region`` from ``started_on`` (a sector's post: ``sector`` set,
    ``region`` its town)."""
    post = Post(
        region=region,
        sector=sector,
        post_type=post_type,
        holder_name=holder_name.strip(),
        phone=phone,
        user=user,
        started_on=started_on,
        ended_on=ended_on,
    )
    _check_post(post, scope=scope)
    post.full_clean()
    post.save()
    audit_change(Action.CREATE, after=post)
    return post


@transaction.atomic
def post_update(*, post: Post, version: int | None, scope: Scope | None = None, **changes) -> Post:
    """Change a post's holder, phone, login, place or dates; a stale ``version`` changes nothing. Moving it
    needs the writer's scope at both places."""
    unknown = set(changes) - set(POST_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    _check_scope(scope, post.region, field="region")
    current = lock_for_edit(post, version)
    stored_type = current.post_type
    before = snapshot(current)
    for name, value in changes.items():
        setattr(current, name, value.strip() if name == "holder_name" else value)
    _check_post(current, scope=scope, stored_type=stored_type)
    save_next_version(current)
    audit_change(Action.UPDATE, before=before, after=current)
    return current


@transaction.atomic
def post_end(
    *, post: Post, ended_on: datetime.date, version: int | None = None, scope: Scope | None = None
) -> Post:
    """The holder leaves the post on ``ended_on`` (from that day they no longer hold it)."""
    return post_update(post=post, version=version, scope=scope, ended_on=ended_on)


@transaction.atomic
def post_requirement_save(
    *,
    level: str,
    post_type: str,
    minimum: int = 1,
    tier: int | None = None,
    region: Region | None = None,
    requirement: PostRequirement | None = None,
) -> PostRequirement:
    """Say that every ``level`` (of ``tier``, in ``region``'s subtree) must have ``minimum`` holders of
    ``post_type``; with ``requirement``, change that rule instead."""
    check_choice(
        EntryType.POST_TYPE,
        post_type,
        field="post_type",
        stored=requirement.post_type if requirement else None,
    )
    if level not in (Level.TOWN, Level.VILLAGE, *BELOW_VILLAGE_LEVELS):
        raise ValidationError({"level": _("A required post is set for towns, villages, grids or buildings.")})
    before = snapshot(requirement) if requirement else None
    current = requirement or PostRequirement()
    current.level, current.post_type, current.minimum, current.tier, current.region = (
        level,
        post_type,
        minimum,
        tier,
        region,
    )
    current.full_clean()
    current.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=current)
    return current


@transaction.atomic
def post_requirement_delete(*, requirement: PostRequirement) -> None:
    """Stop requiring a post (no grid is flagged for it any more)."""
    audit_change(Action.DELETE, before=requirement)
    requirement.delete()
