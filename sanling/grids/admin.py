"""Sectors and posts in the Django admin, written through their services (validated, audited, optimistic
locking); required posts are plain data a county edits. Nothing is deleted here: a post ends (离任)."""

from django import forms
from django.contrib import admin

from sanling.core.admin_site import ServiceForm, ServiceModelAdmin

from .models import Post, PostRequirement, Sector
from .services import (
    POST_EDITABLE,
    post_create,
    post_requirement_delete,
    post_requirement_save,
    post_update,
    sector_create,
    sector_update,
)

POST_FIELDS = list(POST_EDITABLE)
SECTOR_FIELDS = ["town", "code", "name", "villages"]


class VersionedForm(ServiceForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version


@admin.register(Post)
class PostAdmin(ServiceModelAdmin):
    form = VersionedForm
    list_display = ["region", "post_type", "holder_name", "started_on", "ended_on"]
    list_filter = ["post_type", "region__level"]
    search_fields = ["holder_name", "region__code", "region__name"]
    raw_id_fields = ["region", "user", "sector"]
    actions = None

    def get_fields(self, request, obj=None):
        return POST_FIELDS if obj is None else [*POST_FIELDS, "loaded_version"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return post_create(**{name: data[name] for name in POST_FIELDS})
        changes = {name: data[name] for name in POST_FIELDS if name in form.changed_data}
        if not changes:
            return form.instance
        return post_update(post=form.instance, version=data["loaded_version"], **changes)


@admin.register(Sector)
class SectorAdmin(ServiceModelAdmin):
    form = VersionedForm
    list_display = ["town", "code", "name"]
    search_fields = ["code", "name", "town__name"]
    raw_id_fields = ["town"]
    filter_horizontal = ["villages"]
    actions = None

    def get_fields(self, request, obj=None):
        return SECTOR_FIELDS if obj is None else [*SECTOR_FIELDS, "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["town", "code"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return sector_create(
                town=data["town"], code=data["code"], name=data["name"], villages=data["villages"]
            )
        return sector_update(
            sector=form.instance, version=data["loaded_version"], name=data["name"], villages=data["villages"]
        )


REQUIREMENT_FIELDS = ["level", "tier", "post_type", "minimum", "region"]


@admin.register(PostRequirement)
class PostRequirementAdmin(ServiceModelAdmin):
    list_display = REQUIREMENT_FIELDS
    raw_id_fields = ["region"]
    fields = REQUIREMENT_FIELDS

    def write(self, request, form, change):
        values = {name: form.cleaned_data[name] for name in REQUIREMENT_FIELDS}
        return post_requirement_save(requirement=form.instance if change else None, **values)

    def delete_through_service(self, request, obj) -> None:
        post_requirement_delete(requirement=obj)
