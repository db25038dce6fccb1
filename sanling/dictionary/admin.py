"""The data dictionary in the Django admin, written through the services (audited, validated)."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from .models import Entry
from .services import entry_create, entry_update


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["type", "code", "label", "order", "enabled"]
    list_filter = ["type", "enabled"]
    actions = None  # no bulk delete: a value in use is disabled, not deleted

    def get_readonly_fields(self, request, obj=None):
        return ["type", "code"] if obj is not None else []

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        data = form.cleaned_data
        try:
            if change:
                saved = entry_update(
                    entry=obj, label=data["label"], order=data["order"], enabled=data["enabled"]
                )
            else:
                saved = entry_create(
                    type=data["type"],
                    code=data["code"],
                    label=data["label"],
                    order=data["order"],
                    enabled=data["enabled"],
                )
        except ValidationError as error:  # raced past the form's own checks: say so rather than a 500
            self.message_user(request, "；".join(error.messages), level="error")
            return
        obj.pk = saved.pk
