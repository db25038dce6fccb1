"""Accounts are read-only in the Django admin: they are created and changed at /accounts/users/ through
the services of the duty that owns each part (``account_create``/``account_update``/
``account_password_reset`` for the system administrator, ``account_grant`` for the security
administrator), so the admin can neither skip the audit trail nor set a superuser or staff flag."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from sanling.core.admin_site import ReadOnlyModelAdmin

admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class ReadOnlyUserAdmin(ReadOnlyModelAdmin, UserAdmin):
    pass


@admin.register(Group)
class ReadOnlyGroupAdmin(ReadOnlyModelAdmin, GroupAdmin):
    pass
