"""The ladder's state on a subject's page (``supervision/_subject_ladder.html``, included there)."""

from django import template

from ..models import LetterKind
from ..selectors import ladder_state

register = template.Library()


@register.inclusion_tag("supervision/_ladder_state.html")
def subject_ladder(subject):
    state = ladder_state(subject)
    return {"state": state, "next_label": LetterKind(state.next_kind).label}
