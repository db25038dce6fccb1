"""Writes to the region tree."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot

from .models import Region, RegionBoundary, RegionHistory, codes_in_path, subtree_q


@transaction.atomic
def region_create(*, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    """Add a node under ``parent`` after checking its code and the level order."""
    region = Region(code=code, name=name, level=level, parent=parent)
    region.set_path()
    region.full_clean()
    region.save()
    audit_change(Action.CREATE, after=region)
    return region


@transaction.atomic
def region_rename(*, region: Region, name: str) -> Region:
    """Give ``region`` a new name (its code, place and figures stay as they are)."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    before = snapshot(region)
    region.name = name
    region.full_clean()
    region.save(update_fields=["name"])
    audit_change(Action.UPDATE, before=before, after=region)
    return region


@transaction.atomic
def region_move(
    *, region: Region, new_parent: Region, moved_on: datetime.date, note: str = "", recompute: bool = True
) -> Region:
    """Move ``region`` and its whole subtree under ``new_parent`` as of ``moved_on`` (村改居, 撤并).

    Every node of the subtree keeps a history row of where it was until ``moved_on``, so figures for
    earlier periods can still be told by the old parent. ``recompute=False`` leaves the rebuild of the
    rollups to the caller, in the same transaction: an import moving many regions rebuilds once, at its end.
    """
    region = Region.objects.select_for_update().get(pk=region.pk)
    before = snapshot(region)
    new_parent = Region.objects.get(pk=new_parent.pk)
    if new_parent.path.startswith(region.path):
        raise ValidationError(
            {"parent": _("A region cannot be moved under itself or one of its descendants.")}
        )
    if new_parent.pk == region.parent_id:
        raise ValidationError(
            {"parent": _("The region is already under %(name)s.") % {"name": new_parent.name}}
        )
    # The last move anywhere in the subtree: each node's history must run forward, or a node that moved
    # later would be given a history row ending before it began.
    last_move = Region.objects.filter(subtree_q(region.path)).aggregate(last=Max("placed_on"))["last"]
    if last_move and moved_on < last_move:
        raise ValidationError(
            {
                "moved_on": _("The move date cannot be earlier than the region's last move on %(date)s.")
                % {"date": last_move.isoformat()}
            }
        )
    region.parent = new_parent
    region.full_clean(exclude=["code", "path", "depth"])

    old_path = region.path
    new_path = f"{new_parent.path}{region.code}/"
    subtree = Region.objects.filter(subtree_q(old_path))
    RegionHistory.objects.bulk_create(
        RegionHistory(
            region_id=node.pk,
            parent_id=node.parent_id,
            path=node.path,
            valid_from=node.placed_on,
            valid_to=moved_on,
            note=note,
        )
        for node in subtree.only("pk", "parent_id", "path", "placed_on")
    )
    depth_change = len(codes_in_path(new_path)) - len(codes_in_path(old_path))
    subtree.update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1, Length("path"))),
        depth=F("depth") + depth_change,
        placed_on=moved_on,
    )
    Region.objects.filter(pk=region.pk).update(parent=new_parent)
    region.refresh_from_db()
    # Every figure above the moved subtree changes from the move on: rebuild the assessed years.
    if recompute:
        from sanling.assessment.services import assessment_recompute

        assessment_recompute()
    audit_change(Action.UPDATE, before=before, after=region, note=note, verb="region.moved")
    return region


GEOMETRY_TYPES = {"Polygon", "MultiPolygon"}


@transaction.atomic
def region_boundaries_load(*, feature_collection: dict) -> int:
    """Store the outlines of a GeoJSON FeatureCollection whose features carry the region ``code`` as a
    property; replaces existing outlines of the same regions. All features or none are stored."""
    features = feature_collection.get("features") if isinstance(feature_collection, dict) else None
    if not isinstance(features, list):
        raise ValidationError(_("The map file is not a GeoJSON FeatureCollection."))
    by_code = {}
    for index, feature in enumerate(features, start=1):
        code = str((feature.get("properties") or {}).get("code", ""))
        geometry = feature.get("geometry") or {}
        if geometry.get("type") not in GEOMETRY_TYPES:
            raise ValidationError(
                _("Feature %(index)s: only Polygon and MultiPolygon outlines are supported.")
                % {"index": index}
            )
        by_code[code] = geometry
    regions = dict(Region.objects.filter(code__in=by_code).values_list("code", "id"))
    if unknown := sorted(set(by_code) - set(regions)):
        raise ValidationError(
            _("The map names regions that do not exist: %(codes)s.") % {"codes": "、".join(unknown[:10])}
        )
    RegionBoundary.objects.filter(region_id__in=regions.values()).delete()
    RegionBoundary.objects.bulk_create(
        RegionBoundary(region_id=regions[code], geometry=geometry) for code, geometry in by_code.items()
    )
    return len(by_code)
