"""``{% subject_why subject as why %}``: a subject's colour today, its reasons and its colour's consequence
(the subject page's "why orange")."""

from django import template
from django.utils import timezone

from sanling.alerts.models import COLOUR_NAMES
from sanling.alerts.selectors import consequences_of, rule_set_on, subject_warning

register = template.Library()


@register.simple_tag
def subject_why(subject) -> dict | None:
    today = timezone.localdate()
    warning = subject_warning(subject=subject, on=today)
    if warning is None:
        return None
    return {
        "warning": warning,
        "colour_name": COLOUR_NAMES[warning.colour],
        "consequence": consequences_of(rule_set_on(today)).get(warning.colour),
    }
