"""The client's address behind a reverse proxy, believed only from the proxies a deployment names.

``SANLING_TRUSTED_PROXIES`` lists addresses or networks (``10.0.0.2``, ``10.0.0.0/8``). When the peer is one
of them, the client is the right-most address of ``X-Forwarded-For`` that is not itself a trusted proxy
(each proxy appends the address it saw, so what lies left of that may be forged by the client). The audit
trail and the login lockouts both read the address through ``client_address``.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings

FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP")


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple:
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError:
            continue  # a misspelt entry trusts nothing rather than failing every request
    return tuple(networks)


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address: str) -> bool:
    peer = _address(address)
    if peer is None:
        return False
    return any(peer in network for network in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_address(meta) -> str:
    """The client's address for a request's ``META`` (or a WSGI environ)."""
    peer = meta.get("REMOTE_ADDR", "") or ""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and is_trusted_proxy(peer):
        for hop in reversed(forwarded.split(",")):
            address = _address(hop)
            if address is None:
                break  # garbage: nothing to its left can be believed either
            if not is_trusted_proxy(str(address)):
                return str(address)[:45]
    return peer[:45]


def untrusted_forwarding_removed(application):
    """WSGI middleware for ``sanling serve``: waitress hands every request's headers on (its own proxy
    handling knows one proxy address only), and this drops ``X-Forwarded-*`` and ``Forwarded`` from any
    peer that is not a trusted proxy, so nothing downstream can be told a forged address or scheme."""

    def guarded(environ, start_response):
        if not is_trusted_proxy(environ.get("REMOTE_ADDR", "")):
            for name in [key for key in environ if key.startswith("HTTP_X_FORWARDED_")]:
                del environ[name]
            for name in FORWARDED_HEADERS:
                environ.pop(name, None)
        return application(environ, start_response)

    return guarded
