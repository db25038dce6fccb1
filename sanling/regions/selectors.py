"""Reads of the region tree: every query is one indexed filter, never a walk in Python."""

import datetime

from django.db.models import Q, QuerySet

from .models import Region, codes_in_path, subtree_q


def region_subtree(region: Region, *, include_self: bool = True) -> QuerySet[Region]:
    nodes = Region.objects.filter(subtree_q(region.path))
    return nodes if include_self else nodes.exclude(pk=region.pk)


# What a region picker shows at most for one search: a province never sends thousands of options.
REGION_SEARCH_LIMIT = 30


def region_matches(regions: QuerySet[Region], text: str) -> QuerySet[Region]:
    """Those of ``regions`` whose name contains ``text`` or whose code starts with it, in tree order: the
    one search behind every region picker (account and subject forms)."""
    return regions.filter(Q(name__icontains=text) | Q(code__startswith=text)).order_by("path")


def region_ancestors(region: Region, *, include_self: bool = False) -> QuerySet[Region]:
    codes = codes_in_path(region.path)
    return Region.objects.filter(code__in=codes if include_self else codes[:-1]).order_by("depth")


def region_children(region: Region | None) -> QuerySet[Region]:
    return Region.objects.filter(parent=region).order_by("code")


def region_path_on(region: Region, day: datetime.date) -> str:
    """The ancestor path ``region`` had on ``day``: the history row covering it, else the current one."""
    earlier = (
        region.history.filter(valid_to__gt=day).order_by("valid_to").values_list("path", flat=True).first()
    )
    return earlier or region.path


def region_ancestors_on(region: Region, day: datetime.date) -> QuerySet[Region]:
    """The nodes above ``region`` on ``day`` (for figures of a period before a move)."""
    return Region.objects.filter(code__in=codes_in_path(region_path_on(region, day))[:-1]).order_by("depth")
