"""``{% my_letters as waiting %}``: the 四函 letters waiting for the signed-in user, for 我的待办."""

from django import template
from django.utils import timezone

from sanling.accounts.scope import request_scope

from ..selectors import my_letters as waiting_for

register = template.Library()


@register.simple_tag(takes_context=True)
def my_letters(context) -> dict:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"rows": [], "today": timezone.localdate()}
    return {"rows": waiting_for(request.user, scope=request_scope(request)), "today": timezone.localdate()}
