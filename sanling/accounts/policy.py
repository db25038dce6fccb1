"""The rules of signing in (身份鉴别): who needs a second factor, when a password must be changed, and
what a signed-in session must still do before it may use the platform.

What a session must still do is worked out once, when it logs in (``pending_steps``), and kept in the
session; the middleware (``SecurityGateMiddleware``) only reads it, so a request costs no query for it.
"""

import datetime

from django.conf import settings
from django.utils import timezone

from .models import SecurityState
from .scope import scope_for

# What a session may still have to do, in order, before it reaches any other page.
VERIFY = "verify"  # give the code of the enrolled authenticator (or a recovery code)
CHANGE_PASSWORD = "password"  # the password was set by an administrator, or is too old
ENROL = "enrol"  # the role requires a second factor and none is enrolled yet
PENDING_SESSION_KEY = "sanling_pending"


def requires_second_factor(user) -> bool:
    """Whether ``user`` must sign in with a second factor: the privileged accounts (``Scope.is_privileged``:
    the three duties, county administrators and superusers), where the deployment requires it
    (``SANLING_REQUIRE_SECOND_FACTOR``, on by default in production). Anyone may enrol; whoever has enrolled
    is always asked for the code."""
    if not settings.REQUIRE_SECOND_FACTOR or not user.is_authenticated:
        return False
    return scope_for(user).is_privileged


def has_second_factor(user) -> bool:
    """Whether ``user`` has a confirmed authenticator (TOTP device)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def password_change_reason(user) -> str:
    """Why ``user`` must change their password before anything else: "reset" (set by an administrator),
    "expired" (older than ``SANLING_PASSWORD_MAX_AGE_DAYS``), or "" (no need)."""
    state = SecurityState.objects.filter(user=user).first()
    if state is not None and state.policy_exempt:
        return ""
    if state is not None and state.must_change_password:
        return "reset"
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    if max_age:
        changed_at = (state.password_changed_at if state else None) or user.date_joined
        if changed_at + datetime.timedelta(days=max_age) <= timezone.now():
            return "expired"
    return ""


def pending_steps(user) -> list[str]:
    """What a session of ``user`` that has just given the right password must still do, in order."""
    steps = []
    if has_second_factor(user):
        steps.append(VERIFY)
    if password_change_reason(user):
        steps.append(CHANGE_PASSWORD)
    if not has_second_factor(user) and requires_second_factor(user):
        steps.append(ENROL)
    return steps


def session_steps(request) -> list[str]:
    """The steps this request's session still owes; worked out now for a session that predates them."""
    steps = request.session.get(PENDING_SESSION_KEY)
    if steps is None:
        steps = pending_steps(request.user)
        request.session[PENDING_SESSION_KEY] = steps
    return steps


def step_done(request, step: str) -> None:
    steps = session_steps(request)
    if step in steps:
        request.session[PENDING_SESSION_KEY] = [other for other in steps if other != step]
