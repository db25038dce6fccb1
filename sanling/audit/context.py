"""Who is acting, from where: set once per request (web and API) or command, read by the audit trail.

Services stay free of request objects: the middleware and the API views put the actor here, and every
audit entry written in the same context names them.
"""

import contextvars
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .models import Source


@dataclass
class Actor:
    user: object = None  # a user or None (commands, system jobs)
    name: str = ""
    source: str = Source.SYSTEM
    ip: str = ""


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("sanling_actor", default=None)


def current_actor() -> Actor:
    return _current.get() or Actor(name="system")


@contextmanager
def acting(actor: Actor) -> Iterator[Actor]:
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def command_actor() -> Actor:
    try:
        name = getpass.getuser()
    except (KeyError, OSError):
        name = "unknown"
    return Actor(name=name, source=Source.CLI)


def client_ip(request) -> str:
    """The client's address, taken from ``X-Forwarded-For`` only behind a trusted proxy
    (``SANLING_TRUSTED_PROXIES``): the one reading the audit trail and the login lockouts share."""
    from sanling.core.proxy import client_address

    return client_address(request.META)


class ActorMiddleware:
    """Name the signed-in user (session) as the actor of whatever the request changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        actor = Actor(
            user=user, name=user.get_username() if user else "", source=Source.WEB, ip=client_ip(request)
        )
        with acting(actor):
            request.actor = actor
            return self.get_response(request)
