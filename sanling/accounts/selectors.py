"""Reads of accounts: the user behind an API token."""

import hmac

from django.utils import timezone

from .models import ApiToken
from .services import token_hash

# Writing last_used_at on every request would turn each read into a write; once a minute is enough.
LAST_USED_RESOLUTION_SECONDS = 60


def api_token_lookup(key: str) -> ApiToken | None:
    """The usable token with this key, or None (unknown, revoked, expired or inactive user)."""
    parts = key.split("_")
    if len(parts) < 3 or parts[0] != "sl":
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=parts[1]).first()
    now = timezone.now()
    if (
        token is None
        or not hmac.compare_digest(token.key_hash, token_hash(key))
        or not token.usable_at(now)
        or not token.user.is_active
    ):
        return None
    if (
        token.last_used_at is None
        or (now - token.last_used_at).total_seconds() > LAST_USED_RESOLUTION_SECONDS
    ):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
