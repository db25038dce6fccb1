from django.contrib import admin
from django.core.exceptions import PermissionDenied


class StaffOnlyAdminSite(admin.AdminSite):
    """Django's admin, for superusers only: a signed-in user without staff rights gets 403 rather than the
    admin's own login page, like every other page outside their scope."""

    site_header = "三零创建平台 · 系统管理"

    def admin_view(self, view, cacheable=False):
        wrapped = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not request.user.is_staff:
                raise PermissionDenied
            return wrapped(request, *args, **kwargs)

        return guarded

    def login(self, request, extra_context=None):
        if request.user.is_authenticated and not request.user.is_staff:
            raise PermissionDenied
        return super().login(request, extra_context)
