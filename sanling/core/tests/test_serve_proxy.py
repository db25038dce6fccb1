"""Behind a reverse proxy, ``sanling serve`` hands the app the client's address from a trusted proxy and
drops forwarding headers from anyone else (waitress alone would drop them from everyone)."""

import pytest
from waitress.server import create_server

from sanling.core.management.commands.serve import WAITRESS_PROXY_OPTIONS
from sanling.core.proxy import untrusted_forwarding_removed


def _seen_by_the_app(remote_addr: str, forwarded: str) -> dict:
    """The environ the app receives from waitress (as ``sanling serve`` sets it up) for one request."""
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    server = create_server(
        untrusted_forwarding_removed(app), _start=False, host="127.0.0.1", port=0, **WAITRESS_PROXY_OPTIONS
    )
    try:
        environ = {
            "REMOTE_ADDR": remote_addr,
            "HTTP_X_FORWARDED_FOR": forwarded,
            "HTTP_X_FORWARDED_PROTO": "https",
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
        }
        server.application(environ, lambda status, headers: None)
    finally:
        server.close()
    return seen


@pytest.fixture
def proxy(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]


def test_a_trusted_proxys_forwarded_address_reaches_the_app(proxy):
    seen = _seen_by_the_app("10.0.0.2", "203.0.113.7")
    assert seen["HTTP_X_FORWARDED_FOR"] == "203.0.113.7"


def test_an_untrusted_peers_forwarding_headers_are_dropped(proxy):
    seen = _seen_by_the_app("198.51.100.9", "203.0.113.7")
    assert "HTTP_X_FORWARDED_FOR" not in seen
    assert "HTTP_X_FORWARDED_PROTO" not in seen
    assert seen["REMOTE_ADDR"] == "198.51.100.9"
