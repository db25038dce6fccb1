"""Django's login signals, handed to the services: audit entries and failure counts for every door; and
what a login starts: the session's clocks, the steps it still owes, and (optionally) the end of the
account's other session."""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from sanling.audit.context import client_ip

from .events import auth_event
from .lockout import login_failure_record
from .middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from .models import SecurityState
from .policy import PENDING_SESSION_KEY, pending_steps
from .services import login_succeeded_record


@receiver(user_logged_in, dispatch_uid="sanling_login_succeeded")
def login_succeeded(sender, request, user, **kwargs) -> None:
    login_succeeded_record(user=user)  # every web login passes here, the admin's included


@receiver(user_logged_out, dispatch_uid="sanling_logged_out")
def logged_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        auth_event("logout", user=user)


@receiver(user_login_failed, dispatch_uid="sanling_login_failed")
def login_failed(sender, credentials, request=None, **kwargs) -> None:
    username = str(credentials.get("username", ""))[:150]
    if request is not None and getattr(request, "login_lockout", None) is not None:
        return  # refused unchecked while locked: no guess was tried
    login_failure_record(username=username, ip=client_ip(request) if request is not None else "")
    auth_event("login.failed", username=username)


def session_started(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SESSION_STARTED_KEY] = now
    session[SESSION_SEEN_KEY] = now
    session[PENDING_SESSION_KEY] = pending_steps(user)
    if settings.SINGLE_SESSION:
        _end_other_session(user, session)


def _end_other_session(user, session) -> None:
    """One session per account: a new login ends the account's previous session (the newer login wins, so a
    forgotten session on another computer never locks its owner out)."""
    if session.session_key is None:
        session.save()
    state, _created = SecurityState.objects.get_or_create(user=user)
    if state.session_key and state.session_key != session.session_key:
        import_module(settings.SESSION_ENGINE).SessionStore(session_key=state.session_key).delete()
    state.session_key = session.session_key
    state.save(update_fields=["session_key"])


def connect() -> None:
    user_logged_in.connect(session_started, dispatch_uid="sanling.accounts.session_started")
