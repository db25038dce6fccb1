"""Authentication events in the audit trail (minimal version: issue 14 item 6 brings the full one)."""

from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes


def auth_event(verb: str, *, user=None, username: str = "", note: str = "") -> None:
    """Record that ``verb`` ("password.changed", "otp.enrolled"…) happened to an account."""
    name = user.get_username() if user is not None else username
    audit_changes([Change(Action.UPDATE, "user", name[:64], verb=verb[:40], note=note[:200])])
