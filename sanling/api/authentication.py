"""Who is calling: an API token (other systems) or the browser's session (the docs page, the web app)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from sanling.accounts.selectors import api_token_lookup


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer sl_…`` (``Token sl_…`` is accepted too)."""

    keywords = ("bearer", "token")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be “Bearer <token>”."))
        token = api_token_lookup(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is unknown, expired or revoked."))
        return token.user, token

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's session, with Django's CSRF check on writes."""
