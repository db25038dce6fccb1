from django import template

from sanling.dashboard.selectors import warning_level

register = template.Library()


@register.filter
def warning(rate, group: str = "village") -> str:
    """The warning colour (red, orange, yellow, blue, ok, none) of a region's 达标率 of ``group`` under the
    region thresholds in force (``alerts.RegionThreshold``)."""
    return warning_level(rate, group)
