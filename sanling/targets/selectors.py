"""Reads of targets. ``target_value`` is what the dashboard, the reviews and the reports ask."""

from decimal import Decimal

from sanling.regions.models import Region

# The indicators a target can be set for: 达标率 per group, and the county's others.
INDICATORS = ("rate", "dispute_resolution", "hazard_rectification", "visit_completion")


def target_value(*, region: Region, year: int, group: str, indicator: str = "rate") -> Decimal | None:
    """The target of ``indicator`` for ``group`` in ``region`` in ``year``: the region's own, else the
    nearest ancestor's (inherited down the tree); None where none is set."""
    return None  # contract stub: the targets app fills it in (issue 16)
