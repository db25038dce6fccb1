from django import template

register = template.Library()


@register.filter
def get_value(record, name: str):
    """A field of ``record`` as the UI shows it (the label of a choice)."""
    display = getattr(record, f"get_{name}_display", None)
    return display() if display else getattr(record, name, "")
