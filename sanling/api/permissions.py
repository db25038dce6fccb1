"""Who may call what: every endpoint needs a signed-in user; writes need a role that writes.

Which objects a user reaches is decided by the scoped querysets of ``sanling.accounts.scope``.
"""

from rest_framework import permissions

from sanling.accounts.scope import request_scope


class InScope(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "writes_own_objects", False):
            return True
        return request_scope(request).can_write


class SchemaReader(permissions.BasePermission):
    """The OpenAPI schema and its docs page: any signed-in user (session or token), or anyone when the
    deployment makes them public (``SANLING_API_SCHEMA_PUBLIC``)."""

    def has_permission(self, request, view) -> bool:
        from django.conf import settings

        return settings.API_SCHEMA_PUBLIC or bool(request.user and request.user.is_authenticated)
