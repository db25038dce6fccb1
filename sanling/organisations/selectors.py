"""Reads of organisations: which one works a level for a place, and whose queue a user sees."""

from django.db.models import QuerySet

from sanling.regions.models import Region, codes_in_path

from .models import Organisation, OrganisationKind

# Who takes a dispute at each level of the 三级过滤网 when no organisation is named, best first.
MEDIATORS = {
    "grid": (OrganisationKind.MEDIATION_COMMITTEE, OrganisationKind.COMPREHENSIVE_CENTRE),
    "village": (OrganisationKind.MEDIATION_COMMITTEE, OrganisationKind.COMPREHENSIVE_CENTRE),
    "town": (
        OrganisationKind.MEDIATION_CENTRE,
        OrganisationKind.COMPREHENSIVE_CENTRE,
        OrganisationKind.JUSTICE_OFFICE,
    ),
    "county": (OrganisationKind.MEDIATION_CENTRE, OrganisationKind.COMPREHENSIVE_CENTRE),
}
PETITION_TAKERS = (OrganisationKind.PETITION_OFFICE, OrganisationKind.COMPREHENSIVE_CENTRE)


def organisation_at(region_path: str, region_level: str, kinds) -> Organisation | None:
    """The active organisation of the first of ``kinds`` standing at the ``region_level`` node on
    ``region_path`` (the place's own node or an ancestor). For a grid that has none, its village's."""
    codes = codes_in_path(region_path)
    candidates = list(
        Organisation.objects.filter(region__code__in=codes, active=True, kind__in=kinds).select_related(
            "region"
        )
    )
    return organisation_among(candidates, region_level, kinds)


def organisation_among(candidates, region_level: str, kinds):
    """The rule of ``organisation_at`` over ``candidates`` (active organisations on the place's path, in the
    model's order), for callers that look up many places at once (the bundle importer)."""
    levels = [region_level, "village"] if region_level == "grid" else [region_level]
    for level in levels:
        for kind in kinds:
            for organisation in candidates:
                if organisation.region.level == level and organisation.kind == kind:
                    return organisation
    return None


def mediator_for(region: Region, level: str) -> Organisation | None:
    """Who mediates a dispute of a subject at ``region`` at dispute level ``level`` (group…county)."""
    from sanling.disputes.models import LEVEL_REGION

    region_level = LEVEL_REGION[level]
    return organisation_at(region.path, region_level, MEDIATORS[region_level])


def petition_taker_for(region: Region, level: str) -> Organisation | None:
    """Who takes a petition that reached ``level`` (village…county) for a subject at ``region``."""
    if level not in ("village", "town", "county"):
        level = "county"  # above the county the county's 信访局 follows it up
    return organisation_at(region.path, level, PETITION_TAKERS)


def organisations_of(user) -> QuerySet[Organisation]:
    """The organisations a user belongs to or heads."""
    from django.db.models import Q

    return Organisation.objects.filter(Q(members=user) | Q(head=user)).distinct()
