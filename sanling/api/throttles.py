"""Rate limits on issuing tokens. (Password guessing is stopped by the lockouts of ``accounts.lockout``.)"""

from rest_framework.throttling import SimpleRateThrottle


class TokenThrottle(SimpleRateThrottle):
    """Tokens issued per user. Only issuing counts: revoking a token is never refused."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if request.method != "POST":
            return None
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
