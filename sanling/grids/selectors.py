"""Reads of grids and posts: who holds which post, which grids a login works in, a grid's tier."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sanling.dictionary.models import Entry, EntryType
from sanling.personal.fields import masked
from sanling.regions.models import BELOW_VILLAGE_LEVELS, Level, Region, codes_in_path, subtree_q

from .models import Post, PostRequirement, Sector


def active_q(on: datetime.date, *, via: str = "") -> Q:
    """Posts held on ``on``: started by then and not ended (a post ended on a day no longer counts that
    day, so the successor who starts that day is the only holder)."""
    return Q(**{f"{via}started_on__lte": on}) & (
        Q(**{f"{via}ended_on__isnull": True}) | Q(**{f"{via}ended_on__gt": on})
    )


def posts_active(*, on: datetime.date | None = None) -> QuerySet[Post]:
    return Post.objects.filter(active_q(on or timezone.localdate()))


def posts_of_user(user, *, on: datetime.date | None = None) -> QuerySet[Post]:
    """The posts ``user`` holds on ``on`` (today by default) as their login."""
    if not getattr(user, "is_authenticated", False):
        return Post.objects.none()
    return posts_active(on=on).filter(user=user).select_related("region", "sector")


def grid_regions_of_user(user, *, on: datetime.date | None = None) -> QuerySet[Region]:
    """The regions ``user`` works in through their posts on ``on``: each post's region (a grid, a 楼宇, a
    village for a 驻村民警), and for a sector's post (一级网格长) the sector's villages rather than the whole
    town. A grid worker's lists are the records in these regions' subtrees."""
    if not getattr(user, "is_authenticated", False):
        return Region.objects.none()
    on = on or timezone.localdate()
    posts = posts_active(on=on).filter(user=user)
    direct = posts.filter(sector__isnull=True).values("region_id")
    sectors = posts.filter(sector__isnull=False).values("sector_id")
    return Region.objects.filter(Q(pk__in=direct) | Q(sectors_of_village__in=sectors)).distinct()


def town_and_grid_depth(region: Region) -> tuple[str | None, int]:
    """The code of the town above a grid or building (None in a tree rooted below the town) and how many
    grids stand above it. Grid and building codes are longer than 12 digits, village and town codes 12, so
    both come from the stored path without a query."""
    codes = codes_in_path(region.path)[:-1]
    above = [code for code in codes if len(code) > 12]
    admin = [code for code in codes if len(code) == 12]
    town_code = admin[-2] if len(admin) >= 2 else None  # [..., town, village]
    return town_code, len(above)


def towns_with_sectors(town_codes) -> set[str]:
    return set(
        Sector.objects.filter(town__code__in=set(town_codes)).values_list("town__code", flat=True).distinct()
    )


def grid_tier(region: Region) -> int | None:
    """一级/二级/三级: 1 + the grids above it, + 1 if its town has sectors (片区 are then the 一级网格, as
    商桥镇's "东、南、西、中4个一级网格"). None for anything that is not a grid."""
    if region.level != Level.GRID:
        return None
    town_code, depth = town_and_grid_depth(region)
    sectors = bool(town_code) and Sector.objects.filter(town__code=town_code).exists()
    return 1 + depth + (1 if sectors else 0)


def grid_tiers(regions) -> dict[int, int]:
    """``grid_tier`` of many regions with one query: region id -> tier (grids only)."""
    regions = [region for region in regions if region.level == Level.GRID]
    placed = {region.pk: town_and_grid_depth(region) for region in regions}
    with_sectors = towns_with_sectors(code for code, _ in placed.values() if code)
    return {pk: 1 + depth + (1 if code in with_sectors else 0) for pk, (code, depth) in placed.items()}


def is_below_village(region: Region) -> bool:
    return region.level in BELOW_VILLAGE_LEVELS


def linkable_users(scope) -> QuerySet:
    """The logins a writer may give a post: active accounts whose region lies in the writer's subtree."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("username")
    if scope.everything:
        return users.filter(profile__region__isnull=False)
    if scope.region is None:
        return users.none()
    return users.filter(subtree_q(scope.region.path, via="profile__region__"))


@dataclass(frozen=True)
class EmptyPost:
    """A required post nobody holds: ``region`` needs ``minimum`` holders of ``post_type`` and has ``held``."""

    region: Region
    post_type: str
    minimum: int
    held: int


def requirements_for(region: Region, tier: int | None, requirements) -> dict[str, int]:
    """Post type -> how many holders ``region`` must have, by the requirements that apply to it (the
    highest minimum where several do)."""
    needed: dict[str, int] = {}
    for requirement in requirements:
        if requirement.level != region.level:
            continue
        if requirement.tier is not None and requirement.tier != tier:
            continue
        if requirement.region_id is not None and not region.path.startswith(requirement.region.path):
            continue
        needed[requirement.post_type] = max(needed.get(requirement.post_type, 0), requirement.minimum)
    return needed


def empty_posts(region: Region, on: datetime.date | None = None) -> list[EmptyPost]:
    """The grids and buildings in ``region``'s subtree with a required post unfilled on ``on`` ("a grid
    with an empty post is flagged"), in tree order. A bounded number of queries for any subtree."""
    on = on or timezone.localdate()
    places = list(
        Region.objects.filter(subtree_q(region.path), level__in=BELOW_VILLAGE_LEVELS).order_by("path")
    )
    if not places:
        return []
    requirements = list(PostRequirement.objects.select_related("region"))
    held = held_counts(region, on)
    tiers = grid_tiers(places)
    empty = []
    for place in places:
        for post_type, minimum in sorted(requirements_for(place, tiers.get(place.pk), requirements).items()):
            count = held.get((place.pk, post_type), 0)
            if count < minimum:
                empty.append(EmptyPost(place, post_type, minimum, count))
    return empty


def held_counts(region: Region, on: datetime.date) -> dict[tuple[int, str], int]:
    """(region id, post type) -> how many hold it on ``on``, in ``region``'s subtree."""
    rows = (
        posts_active(on=on)
        .filter(subtree_q(region.path, via="region__"))
        .values_list("region_id", "post_type")
        .annotate(count=Count("pk"))
    )
    return {(region_id, post_type): count for region_id, post_type, count in rows}


def post_type_labels() -> dict[str, str]:
    """Code -> label of every post type, enabled or not (a stored post keeps its meaning)."""
    return dict(Entry.objects.filter(type=EntryType.POST_TYPE).values_list("code", "label"))


def scoped_sectors(scope) -> QuerySet[Sector]:
    """The sectors of the towns in a user's subtree (a department's users: none)."""
    sectors = Sector.objects.select_related("town").order_by("town__code", "code")
    if scope.everything:
        return sectors
    if not scope.sees_business_data or scope.region is None:
        return sectors.none()
    return sectors.filter(subtree_q(scope.region.path, via="town__"))


def scoped_posts(scope) -> QuerySet[Post]:
    """The posts a user may see: those placed in their subtree (a department's users: none)."""
    return Post.objects.filter(scope.region_q()).select_related("region", "sector", "user")


ROSTER_LIMIT = 800  # rows of one roster page; a county is chosen town by town


@dataclass
class RosterPlaces:
    """What the roster's filter offers (towns of the user's area, villages of the chosen town) and the
    region it shows."""

    towns: list
    villages: list
    town: Region | None
    village: Region | None

    @property
    def region(self) -> Region | None:
        return self.village or self.town


def roster_places(scope, *, town: str = "", village: str = "") -> RosterPlaces:
    regions = scope.regions()
    chosen_village = (
        regions.filter(code=village, level=Level.VILLAGE).select_related("parent").first()
        if village
        else None
    )
    chosen_town = chosen_village.parent if chosen_village is not None else None
    if chosen_town is None and town:
        chosen_town = regions.filter(code=town, level=Level.TOWN).first()
    home = scope.region
    if chosen_town is None and chosen_village is None and home is not None:
        if home.level == Level.TOWN:
            chosen_town = home
        elif home.level in (Level.VILLAGE, *BELOW_VILLAGE_LEVELS):
            chosen_village = (
                home
                if home.level == Level.VILLAGE
                else regions.filter(level=Level.VILLAGE, code=home.code[:12]).first()
            )
            chosen_town = chosen_village.parent if chosen_village is not None else None
    towns = list(regions.filter(level=Level.TOWN).order_by("code"))
    villages = (
        list(regions.filter(level=Level.VILLAGE, parent=chosen_town).order_by("code")) if chosen_town else []
    )
    return RosterPlaces(towns=towns, villages=villages, town=chosen_town, village=chosen_village)


@dataclass
class RosterRow:
    region: Region
    indent: int
    tier: int | None
    posts: list
    empty: list
    sector: Sector | None = None


@dataclass
class Roster:
    rows: list
    sectors: list
    truncated: bool
    empty_count: int


def grid_roster(region: Region, *, on: datetime.date | None = None) -> Roster:
    """The roster of a town or village: the region itself, then its villages, grids and 楼宇 in tree order,
    each with the posts held on ``on`` and the required posts nobody holds. A bounded number of queries."""
    on = on or timezone.localdate()
    places = list(
        Region.objects.filter(subtree_q(region.path))
        .filter(level__in=(Level.TOWN, Level.VILLAGE, *BELOW_VILLAGE_LEVELS))
        .order_by("path")[: ROSTER_LIMIT + 1]
    )
    truncated = len(places) > ROSTER_LIMIT
    places = places[:ROSTER_LIMIT]
    ids = {place.pk for place in places}
    labels = post_type_labels()
    posts: dict[int, list[Post]] = {}
    for post in (
        posts_active(on=on)
        .filter(subtree_q(region.path, via="region__"))
        .select_related("sector", "user")
        .order_by("region__path", "post_type", "started_on", "pk")
    ):
        if post.region_id in ids:
            post.type_label = labels.get(post.post_type, post.post_type)
            post.phone_masked = masked(post, "phone")
            posts.setdefault(post.region_id, []).append(post)
    empty: dict[int, list[str]] = {}
    for gap in empty_posts(region, on):
        empty.setdefault(gap.region.pk, []).append(labels.get(gap.post_type, gap.post_type))
    tiers = grid_tiers(places)
    sectors = list(
        Sector.objects.filter(town__in=[place.pk for place in places if place.level == Level.TOWN])
        .prefetch_related("villages")
        .order_by("code")
    )
    sector_of = {village.pk: sector for sector in sectors for village in sector.villages.all()}
    rows = [
        RosterRow(
            region=place,
            indent=place.depth - region.depth,
            tier=tiers.get(place.pk),
            posts=posts.get(place.pk, []),
            empty=empty.get(place.pk, []),
            sector=sector_of.get(place.pk),
        )
        for place in places
    ]
    return Roster(
        rows=rows, sectors=sectors, truncated=truncated, empty_count=sum(len(row.empty) for row in rows)
    )
