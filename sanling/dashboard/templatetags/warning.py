from django import template

from sanling.dashboard.selectors import warning_level

register = template.Library()


@register.filter
def warning(rate) -> str:
    """The warning colour (blue, yellow, orange, red, none) of a 达标率."""
    return warning_level(rate)
