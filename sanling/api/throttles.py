"""Rate limits on the doors a password or token guesser would knock on (login and token issue)."""

from rest_framework.throttling import SimpleRateThrottle


class LoginThrottle(SimpleRateThrottle):
    """Password logins per client address (the web login counts failed attempts only)."""

    scope = "login"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenThrottle(SimpleRateThrottle):
    """Tokens issued per user."""

    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        ident = request.user.pk if request.user.is_authenticated else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class FailedLogins:
    """The web login's limit: failed attempts per client address, counted in the ``login`` rate."""

    def __init__(self, request):
        self.throttle = LoginThrottle()
        self.key = self.throttle.get_cache_key(request, None)
        now = self.throttle.timer()
        self.history = [
            moment
            for moment in self.throttle.cache.get(self.key, [])
            if moment > now - self.throttle.duration
        ]

    @property
    def exceeded(self) -> bool:
        return len(self.history) >= self.throttle.num_requests

    def record(self) -> None:
        self.history.insert(0, self.throttle.timer())
        self.throttle.cache.set(self.key, self.history, self.throttle.duration)
