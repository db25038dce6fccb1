"""Petitions, the 积案 ledger and 信访代理 in the Django admin, written through their services (steps,
deadlines, events and audit as everywhere). Personal fields (petitioner, applicant) show as their masks, in
the lists and on the forms; a mask sent back unchanged keeps the stored value. Nothing is deleted here: a
case's history stays."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sanling.core.admin_site import ServiceForm, ServiceModelAdmin
from sanling.personal.fields import masked
from sanling.personal.forms import MaskedFieldsMixin

from .models import AgencyCase, Backlog, Petition
from .services import (
    agency_advance,
    agency_create,
    backlog_check,
    backlog_flag,
    petition_create,
    petition_update,
)

PETITION_NEW = [
    "subject",
    "received_on",
    "level",
    "channel",
    "visit_mode",
    "summary",
    "petitioner_name",
    "petitioner_id_number",
    "petitioner_phone",
    "repeat",
    "collective",
    "people_count",
    "bypass",
    "claim",
]
PETITION_EDITABLE = [
    "channel",
    "visit_mode",
    "summary",
    "petitioner_name",
    "petitioner_id_number",
    "petitioner_phone",
    "repeat",
    "collective",
    "people_count",
    "claim",
    "satisfaction",
]
PETITION_STEPS = [
    "ref",
    "subject",
    "received_on",
    "level",
    "bypass",
    "step",
    "rule_set",
    "accept_due_on",
    "accepted_on",
    "result_due_on",
    "extended_on",
    "replied_on",
    "concluded_on",
    "event",
    "case",
]


class VersionedForm(MaskedFieldsMixin, ServiceForm):
    """Personal fields start as their masks; ``loaded_version`` is the version the editor loaded."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        self.mask_initial()


class NoDeleteAdmin(ServiceModelAdmin):
    actions = None

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Petition)
class PetitionAdmin(NoDeleteAdmin):
    """A petition is registered with ``petition_create`` (its case, deadlines and, at county level, its
    event) and corrected with ``petition_update``; its steps are taken on the case pages and the API."""

    form = VersionedForm
    list_display = ["ref", "petitioner", "subject", "level", "step", "received_on", "result_due_on"]
    list_filter = ["step", "level", "channel", "collective", "bypass"]
    search_fields = ["ref", "summary"]  # never the encrypted fields: they are ciphertext
    raw_id_fields = ["subject"]
    list_select_related = ["subject"]

    @admin.display(description=gettext_lazy("petitioner"))
    def petitioner(self, obj):
        return masked(obj, "petitioner_name")

    def get_fields(self, request, obj=None):
        if obj is None:
            return PETITION_NEW
        return [*PETITION_STEPS, *PETITION_EDITABLE, "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else PETITION_STEPS

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return petition_create(**{name: data[name] for name in PETITION_NEW})
        changes = {name: data[name] for name in PETITION_EDITABLE if name in form.changed_data}
        if not changes:
            return form.instance
        return petition_update(petition=form.instance, version=data["loaded_version"], **changes)


class BacklogForm(ServiceForm):
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version


@admin.register(Backlog)
class BacklogAdmin(NoDeleteAdmin):
    """A case goes on the 积案 ledger with ``backlog_flag``; its checklist (item code -> the day it was
    done, empty if not yet) is ticked item by item with ``backlog_check``."""

    form = BacklogForm
    list_display = ["item", "responsible_organisation", "responsible_person", "leader", "deadline", "ticked"]
    raw_id_fields = ["item", "responsible_organisation"]
    list_select_related = ["item", "responsible_organisation"]

    @admin.display(description=gettext_lazy("checklist"))
    def ticked(self, obj):
        return f"{sum(1 for done in obj.checklist.values() if done)}/{len(obj.checklist)}"

    def get_fields(self, request, obj=None):
        flag = ["item", "flagged_on", "responsible_organisation", "responsible_person", "leader", "deadline"]
        return flag if obj is None else [*flag, "checklist", "resolved_on", "loaded_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["item", "flagged_on", "responsible_organisation", "responsible_person", "leader", "deadline"]

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return backlog_flag(
                item=data["item"],
                on=data["flagged_on"],
                responsible_organisation=data["responsible_organisation"],
                responsible_person=data["responsible_person"],
                leader=data["leader"],
                deadline=data["deadline"],
            )
        backlog, ticks = form.instance, data.get("checklist") or {}
        if not isinstance(ticks, dict):
            raise ValidationError({"checklist": _("Enter a valid JSON.")})
        for code, value in ticks.items():
            if backlog.checklist.get(code) == (value or ""):
                continue
            try:
                done_on = forms.DateField().clean(value) if value else None
            except ValidationError as error:
                raise ValidationError({"checklist": error.messages}) from None
            backlog = backlog_check(
                backlog=backlog, code=code, done_on=done_on, version=data["loaded_version"]
            )
            data["loaded_version"] = backlog.version
        return backlog


class AgencyForm(VersionedForm):
    advance_on = forms.DateField(
        label=gettext_lazy("advance on"),
        required=False,
        help_text=gettext_lazy("To move the case to its next step, give the date of that step."),
    )


@admin.register(AgencyCase)
class AgencyCaseAdmin(NoDeleteAdmin):
    """信访代理: applied for with ``agency_create``, moved one step at a time with ``agency_advance``."""

    form = AgencyForm
    list_display = ["ref", "applicant", "subject", "agent_name", "step", "applied_on", "concluded_on"]
    list_filter = ["step", "higher_authority_required"]
    search_fields = ["ref", "summary", "agent_name"]
    raw_id_fields = ["subject", "petition"]
    list_select_related = ["subject"]

    @admin.display(description=gettext_lazy("applicant"))
    def applicant(self, obj):
        return masked(obj, "applicant_name")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["subject", "applied_on", "summary", "applicant_name", "petition"]
        return [
            "ref",
            "subject",
            "applied_on",
            "summary",
            "applicant",
            "petition",
            "step",
            "concluded_on",
            "advance_on",
            "agent_name",
            "higher_authority_required",
            "satisfaction",
            "loaded_version",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["ref", "subject", "applied_on", "summary", "applicant", "petition", "step", "concluded_on"]

    def write(self, request, form, change):
        data = form.cleaned_data
        if not change:
            return agency_create(
                subject=data["subject"],
                applied_on=data["applied_on"],
                summary=data["summary"],
                applicant_name=data["applicant_name"],
                petition=data["petition"],
            )
        if not data.get("advance_on"):
            if {"agent_name", "higher_authority_required", "satisfaction"} & set(form.changed_data):
                raise ValidationError({"advance_on": _("Give the date of this step.")})
            return form.instance
        return agency_advance(
            agency=form.instance,
            on=data["advance_on"],
            version=data["loaded_version"],
            agent_name=data["agent_name"],
            satisfaction=data["satisfaction"],
            higher_authority_required=data["higher_authority_required"],
        )
