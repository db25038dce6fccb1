"""Authentication events in the audit trail and the security log: one function every door calls.

``auth_event("login.succeeded", user=user)`` writes an audit entry (action ``auth``) about the account, with
the address and source of the current actor (``sanling.audit.context``), and a line in the
``sanling.security`` log. Verbs in use: ``login.succeeded``, ``login.failed``, ``logout``,
``lockout.account``, ``lockout.source``, ``lockout.cleared``, ``password.changed``, ``otp.enrolled``;
token creation and revocation are the token's own entries (``token.created``, ``token.revoked``).
"""

import logging
from dataclasses import replace

from django.contrib.auth import get_user_model

from sanling.audit.context import acting, current_actor
from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes, region_path_of

logger = logging.getLogger("sanling.security")

# Verbs that say someone may be guessing: logged as warnings, so they show at the default log level.
WARNING_VERBS = frozenset({"login.failed", "login.refused", "lockout.account", "lockout.source"})


def auth_event(verb: str, *, user=None, username: str = "", note: str = "", address: str = "") -> None:
    """Record an authentication event about ``user`` (or the account named ``username``, which need not
    exist; or, for a source lockout, the client ``address``) in the audit trail and the security log. The
    address and source of the entry are the current actor's; an event with a user and no signed-in actor
    (a login) is recorded as that user's own."""
    actor = current_actor()
    if address:
        with acting(actor):
            audit_changes([Change(Action.AUTH, "address", address[:64], note=note[:200], verb=verb)])
        _log(verb, actor, f"address={address}", note)
        return
    if user is None and username:
        user = get_user_model().objects.filter(username=username).first()
    name = user.get_username() if user is not None else username
    if user is not None and actor.user is None and verb != "login.failed":
        actor = replace(actor, user=user, name=name)
    region_path = _region_path(user)
    with acting(actor):
        audit_changes([Change(Action.AUTH, "user", name[:64], region_path, note=note[:200], verb=verb)])
    _log(verb, actor, f"user={name}", note)


def _log(verb: str, actor, subject: str, note: str) -> None:
    level = logging.WARNING if verb in WARNING_VERBS else logging.INFO
    logger.log(
        level,
        "%s %s ip=%s source=%s actor=%s%s",
        verb,
        subject,
        actor.ip or "-",
        actor.source,
        actor.name or "-",
        f" note={note}" if note else "",
    )


def _region_path(user) -> str:
    """The account's place in the region tree, so its county's auditors see its events."""
    if user is None:
        return ""
    profile = getattr(user, "profile", None)  # None: no profile (a superuser)
    return region_path_of(profile) if profile is not None else ""
