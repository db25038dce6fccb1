"""How a fieldwork figure reads in a table: nothing to divide (None) as —; the domains' ``rows()`` already
give a rate with its percent sign."""

from django import template

register = template.Library()


@register.filter
def figure(value) -> str:
    if value is None:
        return "—"
    return str(value)
