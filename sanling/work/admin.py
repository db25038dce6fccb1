"""Work items and their timelines are read-only in the admin: they move only through the domain services
(a dispute's or petition's steps), which keep the case, its timeline, the rollups and the audit trail
together. Deadline rule sets are configuration a county edits: written through the rule set services."""

from django.contrib import admin

from sanling.core.admin_site import ReadOnlyModelAdmin, ServiceModelAdmin

from .models import DeadlineRuleSet, TimelineEntry, WorkItem
from .rule_sets import RULE_SET_FIELDS, deadline_rule_set_create, deadline_rule_set_update


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyModelAdmin):
    list_display = [
        "ref",
        "kind",
        "title",
        "step",
        "organisation",
        "handler",
        "opened_on",
        "due_on",
        "closed_on",
    ]
    list_filter = ["kind", "step", "backlog"]
    search_fields = ["ref", "title"]
    date_hierarchy = "opened_on"
    list_select_related = ["organisation", "handler"]


@admin.register(TimelineEntry)
class TimelineEntryAdmin(ReadOnlyModelAdmin):
    list_display = ["item", "action", "on", "actor", "organisation", "from_step", "to_step"]
    list_filter = ["action"]
    search_fields = ["item__ref"]
    list_select_related = ["item", "actor", "organisation"]


@admin.register(DeadlineRuleSet)
class DeadlineRuleSetAdmin(ServiceModelAdmin):
    fields = ["code", *RULE_SET_FIELDS, "counties"]
    list_display = [
        "code",
        "name",
        "is_default",
        "accept_amount",
        "accept_unit",
        "result_amount",
        "result_unit",
    ]
    filter_horizontal = ["counties"]
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # petitions keep the rule set they were given

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "counties":
            from sanling.regions.models import Region

            kwargs["queryset"] = Region.objects.filter(level="county")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return deadline_rule_set_create(
                code=data["code"],
                counties=data["counties"],
                **{name: data[name] for name in RULE_SET_FIELDS},
            )
        changes = {name: data[name] for name in RULE_SET_FIELDS if name in form.changed_data}
        counties = data["counties"] if "counties" in form.changed_data else None
        if not changes and counties is None:
            return form.instance
        return deadline_rule_set_update(rule_set=form.instance, counties=counties, **changes)
