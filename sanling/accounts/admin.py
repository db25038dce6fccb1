"""Accounts are read-only in the Django admin: they are created and changed at /accounts/users/ through
``account_save`` (role, scope and audit in one step)."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from sanling.core.admin_site import ReadOnlyModelAdmin

from .forms import LockoutAdminAuthenticationForm

admin.site.unregister(User)
admin.site.login_form = LockoutAdminAuthenticationForm  # the lockout's answer on the admin's door too
admin.site.unregister(Group)


@admin.register(User)
class ReadOnlyUserAdmin(ReadOnlyModelAdmin, UserAdmin):
    pass


@admin.register(Group)
class ReadOnlyGroupAdmin(ReadOnlyModelAdmin, GroupAdmin):
    pass
