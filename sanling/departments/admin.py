from django.contrib import admin

from sanling.core.admin_site import ServiceModelAdmin

from .models import Department
from .services import department_create, department_update


@admin.register(Department)
class DepartmentAdmin(ServiceModelAdmin):
    """Departments are added with ``department_create`` and renamed with ``department_update``; the code is
    fixed once it exists (bundles refer to it) and departments are not deleted here."""

    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["code"]

    def has_delete_permission(self, request, obj=None):
        return False

    def write(self, request, form, change):
        if not change:
            return department_create(code=form.cleaned_data["code"], name=form.cleaned_data["name"])
        if "name" not in form.changed_data:
            return form.instance
        return department_update(department=form.instance, name=form.cleaned_data["name"])
