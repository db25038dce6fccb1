"""Inspections and hazards are read-only in the admin (they move through their services); the checklists and
the deadlines by level are configuration a county edits, written through their services."""

from django.contrib import admin

from sanling.core.admin_site import ReadOnlyModelAdmin, ServiceModelAdmin

from .models import ChecklistItem, Hazard, HazardDeadlineRule, Inspection
from .services import checklist_item_save, deadline_rule_save


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyModelAdmin):
    list_display = ["ref", "subject", "inspected_on", "inspection_type", "by_kind"]
    list_filter = ["inspection_type", "by_kind"]
    search_fields = ["ref", "subject__code", "subject__name"]
    list_select_related = ["subject"]


@admin.register(Hazard)
class HazardAdmin(ReadOnlyModelAdmin):
    list_display = ["ref", "subject", "found_on", "category", "level", "status"]
    list_filter = ["level", "status", "category"]
    search_fields = ["ref", "description", "subject__code"]
    list_select_related = ["subject"]


@admin.register(ChecklistItem)
class ChecklistItemAdmin(ServiceModelAdmin):
    fields = ["inspection_type", "text", "order", "enabled"]
    list_display = ["inspection_type", "order", "text", "enabled"]
    list_filter = ["inspection_type", "enabled"]
    actions = None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # disabled, never deleted: past results keep their item

    def write(self, request, form, change):
        data = form.cleaned_data
        return checklist_item_save(
            item=form.instance if change else None, **{name: data[name] for name in self.fields}
        )


@admin.register(HazardDeadlineRule)
class HazardDeadlineRuleAdmin(ServiceModelAdmin):
    fields = ["level", "days"]
    list_display = ["level", "days"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["level"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def write(self, request, form, change):
        level = form.instance.level if change else form.cleaned_data["level"]
        return deadline_rule_save(level=level, days=form.cleaned_data["days"])
