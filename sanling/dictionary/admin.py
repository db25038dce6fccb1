"""The data dictionary in the Django admin, written through the services (audited, validated)."""

from django.contrib import admin

from sanling.core.admin_site import ServiceModelAdmin

from .models import Entry
from .services import entry_create, entry_update


@admin.register(Entry)
class EntryAdmin(ServiceModelAdmin):
    """Entries are added with ``entry_create`` and changed with ``entry_update``; type and code are fixed
    once they exist, and nothing is deleted: a value in use is disabled instead."""

    list_display = ["type", "code", "label", "order", "enabled"]
    list_filter = ["type", "enabled"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return ["type", "code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def write(self, request, form, change):
        data = form.cleaned_data
        if change:
            return entry_update(
                entry=form.instance, label=data["label"], order=data["order"], enabled=data["enabled"]
            )
        return entry_create(
            type=data["type"],
            code=data["code"],
            label=data["label"],
            order=data["order"],
            enabled=data["enabled"],
        )
