"""Organisations in the Django admin, written through ``organisation_create``/``organisation_update``
(validated, audited, optimistic locking). The code is fixed once it exists; an organisation is not deleted
here (its cases and timelines name it): it is deactivated."""

from django import forms
from django.contrib import admin

from sanling.core.admin_site import ServiceForm, ServiceModelAdmin

from .models import Organisation
from .services import EDITABLE, organisation_create, organisation_update

FIELDS = ["code", "name", "kind", "region", "department", "head", "members", "active"]


class OrganisationForm(ServiceForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version


@admin.register(Organisation)
class OrganisationAdmin(ServiceModelAdmin):
    form = OrganisationForm
    list_display = ["code", "name", "kind", "region", "department", "head", "active"]
    list_filter = ["kind", "active", "region__level"]
    search_fields = ["code", "name", "region__name"]
    raw_id_fields = ["region", "head"]
    filter_horizontal = ["members"]
    actions = None

    def get_fields(self, request, obj=None):
        return FIELDS if obj is None else [*FIELDS, "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return organisation_create(**{name: data[name] for name in FIELDS})
        changes = {name: data[name] for name in (*EDITABLE, "members") if name in form.changed_data}
        if not changes:
            return form.instance
        return organisation_update(organisation=form.instance, version=data["loaded_version"], **changes)
