from django.contrib import admin

from .models import Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "category", "region", "department", "joined_on", "retired_on"]
    list_filter = ["kind", "category", "department"]
    search_fields = ["code", "name", "uscc"]
    raw_id_fields = ["region"]
