from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanling.core.admin_site import ServiceForm, ServiceModelAdmin

from .models import Region
from .services import region_create, region_move, region_rename


class RegionForm(ServiceForm):
    """A new node, or a renamed or moved one. A move (村改居, 撤并) needs the date it takes effect."""

    moved_on = forms.DateField(
        label=gettext_lazy("moved on"),
        required=False,
        help_text=gettext_lazy(
            "Needed when the parent changes: the figures before this day stay with the old parent."
        ),
    )
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


@admin.register(Region)
class RegionAdmin(ServiceModelAdmin):
    """Regions are added with ``region_create``, renamed with ``region_rename`` and moved with ``region_move``
    (history, recompute and audit). Code and level are fixed once a node exists; nodes are not deleted here."""

    form = RegionForm
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["code", "name", "level", "parent"]
        return ["code", "level", "name", "parent", "moved_on", "note", "path", "depth", "placed_on"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["code", "level", "path", "depth", "placed_on"]

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return region_create(
                code=data["code"], name=data["name"], level=data["level"], parent=data["parent"]
            )
        region = form.instance
        if "name" in form.changed_data:
            region = region_rename(region=region, name=data["name"])
        if "parent" in form.changed_data:
            if data["parent"] is None:
                raise ValidationError(
                    {"parent": _("A region keeps a parent once it has one; choose its new parent.")}
                )
            if data["moved_on"] is None:
                raise ValidationError({"moved_on": _("Enter the date the move takes effect.")})
            region = region_move(
                region=region, new_parent=data["parent"], moved_on=data["moved_on"], note=data["note"]
            )
        return region
