"""The ladder's state on a subject's page (``supervision/_subject_ladder.html``, included there), and the
letters waiting for the signed-in user in 我的待办 (``supervision/_my_letters.html``)."""

from django import template
from django.utils import timezone

from sanling.accounts.scope import request_scope

from ..models import LetterKind
from ..selectors import ladder_state
from ..selectors import my_letters as waiting_for

register = template.Library()


@register.inclusion_tag("supervision/_ladder_state.html")
def subject_ladder(subject):
    state = ladder_state(subject)
    return {"state": state, "next_label": LetterKind(state.next_kind).label}


@register.simple_tag(takes_context=True)
def my_letters(context) -> dict:
    """``{% my_letters as waiting %}``: the 四函 letters waiting for the signed-in user, for 我的待办."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"rows": [], "today": timezone.localdate()}
    return {"rows": waiting_for(request.user, scope=request_scope(request)), "today": timezone.localdate()}
