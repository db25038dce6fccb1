"""Accounts are read-only in the Django admin: they are created and changed at /accounts/users/ through
the services of the duty that owns each part (``account_create``/``account_update``/
``account_password_reset`` for the system administrator, ``account_grant`` for the security
administrator), so the admin can neither skip the audit trail nor set a superuser or staff flag."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanling.core.admin_site import ReadOnlyModelAdmin, ServiceModelAdmin

from .forms import LockoutAdminAuthenticationForm
from .services import otp_remove

admin.site.unregister(User)
admin.site.login_form = LockoutAdminAuthenticationForm  # the lockout's answer on the admin's door too
admin.site.unregister(Group)


@admin.register(User)
class ReadOnlyUserAdmin(ReadOnlyModelAdmin, UserAdmin):
    pass


@admin.register(Group)
class ReadOnlyGroupAdmin(ReadOnlyModelAdmin, GroupAdmin):
    pass


# django-otp's own admins would show an authenticator's secret key and QR code to a superuser and change
# devices around the audit trail; registered here first, they never are. A superuser can see who enrolled
# and remove an authenticator (a lost phone), through ``otp_remove``, audited.
class SecondFactorAdmin(ServiceModelAdmin):
    fields = list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_through_service(self, request, obj) -> None:
        otp_remove(user=obj.user)


admin.site.register(TOTPDevice, SecondFactorAdmin)
admin.site.register(StaticDevice, SecondFactorAdmin)
