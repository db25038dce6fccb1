"""What a login starts: the session's clocks, the steps it still owes, and (optionally) the end of the
account's other session."""

import time
from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in

from .middleware import SESSION_SEEN_KEY, SESSION_STARTED_KEY
from .models import SecurityState
from .policy import PENDING_SESSION_KEY, pending_steps


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
