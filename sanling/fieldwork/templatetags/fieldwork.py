"""How a fieldwork figure reads in a table: a rate with its percent sign, nothing to divide as —."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value}%"
    return str(value)
