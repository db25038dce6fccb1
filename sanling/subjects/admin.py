from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from sanling.core.admin_site import ServiceForm, ServiceModelAdmin
from sanling.personal.forms import MaskedFieldsMixin

from .models import SUBJECT_FIELDS, Subject
from .services import subject_create, subject_delete, subject_update

# The subject's own fields on the admin form, in the order shown; the code is fixed once it exists.
FIELDS = list(SUBJECT_FIELDS)
CHANGEABLE = [name for name in FIELDS if name != "code"]


class SubjectForm(MaskedFieldsMixin, ServiceForm):
    """A new subject, or a change to one: a new region or department is a move on ``moved_on`` (or a
    correction of a wrong place everywhere); ``loaded_version`` is the version the editor loaded (optimistic locking)."""

    moved_on = forms.DateField(
        label=gettext_lazy("moved on"),
        required=False,
        help_text=gettext_lazy("For a new region or department: the day it takes effect (default today)."),
    )
    correction = forms.BooleanField(
        label=gettext_lazy("correction"),
        required=False,
        help_text=gettext_lazy(
            "The region or department was wrong: fix it for every period instead of moving."
        ),
    )
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        self.mask_initial()  # contact data masked here too; a mask left unchanged keeps the stored value


@admin.register(Subject)
class SubjectAdmin(ServiceModelAdmin):
    """Subjects are added with ``subject_create``, changed with ``subject_update`` (moves, retirement,
    optimistic locking) and deleted with ``subject_delete``: placement, rollups and audit as everywhere."""

    form = SubjectForm
    list_display = ["code", "name", "kind", "category", "region", "department", "joined_on", "retired_on"]
    list_filter = ["kind", "category", "department"]
    search_fields = ["code", "name", "uscc"]
    raw_id_fields = ["region"]

    def get_fields(self, request, obj=None):
        return FIELDS if obj is None else [*FIELDS, "moved_on", "correction", "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["code"]

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return subject_create(**{name: data[name] for name in FIELDS})
        changes = {name: data[name] for name in CHANGEABLE if name in form.changed_data}
        if not changes:
            return form.instance
        return subject_update(
            subject=form.instance,
            version=data["loaded_version"],
            moved_on=data["moved_on"],
            correction=data["correction"],
            **changes,
        )

    def delete_through_service(self, request, obj):
        subject_delete(subject=obj, version=None)
