"""The forms of the hazard pages: an inspection with its checklist (a failed item may open a hazard in the
same form), and one small form per move of a hazard's case, each with a photo from the camera."""

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.forms import SubjectCodeField
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices

from .filters import category_choices
from .models import ChecklistItem, Hazard, HazardLevel, InspectorKind


def _date_input() -> forms.DateInput:
    widget = forms.DateInput(format="%Y-%m-%d")
    widget.input_type = "date"
    return widget


def _camera() -> forms.ClearableFileInput:
    """A photo straight from the phone's back camera."""
    return forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})


class InspectionForm(forms.Form):
    """An inspection of a subject; ``inspection_type`` picks the checklist shown (each item passed or not,
    and a failed item can open a hazard with its category, level and description)."""

    subject_code = SubjectCodeField()
    inspected_on = forms.DateField(label=_("Inspected on"), widget=_date_input())
    inspection_type = forms.ChoiceField(label=_("Inspection type"))
    by_kind = forms.ChoiceField(
        label=_("Inspected by"), choices=InspectorKind.choices, initial=InspectorKind.TOWN
    )
    department = forms.ModelChoiceField(label=_("Department"), queryset=None, required=False)
    grid = forms.ModelChoiceField(label=_("Grid"), queryset=None, required=False, to_field_name="code")
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, subjects, departments, grids, inspection_type: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_code"].queryset = subjects
        self.fields["subject_code"].widget.attrs.update(
            {
                "hx-get": reverse("subjects:search"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#subject-options",
            }
        )
        self.fields["inspection_type"].choices = entry_choices(EntryType.INSPECTION_TYPE)
        self.fields["department"].queryset = departments
        self.fields["grid"].queryset = grids
        self.fields["inspected_on"].initial = timezone.localdate()
        chosen = self.data.get("inspection_type") or inspection_type
        self.chosen = chosen if chosen in dict(self.fields["inspection_type"].choices) else ""
        chosen = self.chosen
        if chosen:
            self.fields["inspection_type"].initial = chosen
            self.fields["inspection_type"].widget = forms.HiddenInput()
        self.items = (
            list(ChecklistItem.objects.filter(inspection_type=chosen, enabled=True)) if chosen else []
        )
        categories = [("", "—"), *category_choices()]
        for item in self.items:
            prefix = f"item_{item.pk}"
            self.fields[f"{prefix}_failed"] = forms.BooleanField(label=item.text, required=False)
            self.fields[f"{prefix}_note"] = forms.CharField(label=_("Note"), required=False, max_length=500)
            self.fields[f"{prefix}_hazard"] = forms.BooleanField(label=_("Open a hazard"), required=False)
            self.fields[f"{prefix}_category"] = forms.ChoiceField(
                label=_("Category"), choices=categories, required=False
            )
            self.fields[f"{prefix}_level"] = forms.ChoiceField(
                label=_("Level"), choices=HazardLevel.choices, required=False, initial=HazardLevel.GENERAL
            )
            self.fields[f"{prefix}_description"] = forms.CharField(
                label=_("Hazard found"), required=False, max_length=2000
            )
            self.fields[f"{prefix}_photo"] = forms.FileField(
                label=_("Photo of the hazard"), required=False, widget=_camera()
            )

    def checklist(self):
        """(item, its bound fields) for the template."""
        return [
            (
                item,
                {
                    name: self[f"item_{item.pk}_{name}"]
                    for name in ("failed", "note", "hazard", "category", "level", "description", "photo")
                },
            )
            for item in self.items
        ]

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            prefix = f"item_{item.pk}"
            if cleaned.get(f"{prefix}_hazard"):
                if not cleaned.get(f"{prefix}_failed"):
                    self.add_error(f"{prefix}_hazard", _("Only a failed item opens a hazard."))
                if not cleaned.get(f"{prefix}_category"):
                    self.add_error(f"{prefix}_category", _("Choose the category of the hazard."))
                if not (cleaned.get(f"{prefix}_description") or "").strip():
                    self.add_error(f"{prefix}_description", _("Describe the hazard found."))
        return cleaned

    def results(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "item": item,
                "passed": not data.get(f"item_{item.pk}_failed"),
                "note": data.get(f"item_{item.pk}_note", ""),
            }
            for item in self.items
        ]

    def hazards(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "category": data[f"item_{item.pk}_category"],
                "level": data.get(f"item_{item.pk}_level") or HazardLevel.GENERAL,
                "description": f"{item.text}：{data[f'item_{item.pk}_description']}",
                "photos": [data[f"item_{item.pk}_photo"]] if data.get(f"item_{item.pk}_photo") else [],
            }
            for item in self.items
            if data.get(f"item_{item.pk}_hazard")
        ]


class MoveForm(forms.Form):
    move = ""
    title = ""
    on = forms.DateField(label=_("Date of this step"), widget=_date_input())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(label=_("Photo"), required=False, widget=_camera())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hazard: Hazard, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.move}_%s")
        super().__init__(*args, **kwargs)
        self.hazard = hazard
        self.fields["on"].initial = timezone.localdate()
        self.fields["version"].initial = hazard.version

    @property
    def url_name(self) -> str:
        return f"hazards:{self.move}"

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        photo = data.pop("photo", None)
        data["photos"] = [photo] if photo else []
        return data


class RectifyForm(MoveForm):
    move = "rectify"
    title = _("Record a rectification")


class RequestRecheckForm(MoveForm):
    move = "request_recheck"
    title = _("Ask for a re-check")


class RecheckForm(MoveForm):
    move = "recheck"
    title = _("Re-check")
    passed = forms.TypedChoiceField(
        label=_("Result"),
        choices=[("yes", _("Passed: close the hazard")), ("no", _("Not passed: back to rectification"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    due_on = forms.DateField(
        label=_("New deadline (if extended)"),
        required=False,
        widget=_date_input(),
        help_text=_("Leave empty to keep the deadline; an extension needs a reason in the note."),
    )
    field_order = ["on", "passed", "due_on", "note", "photo"]


MOVE_FORMS = {form.move: form for form in (RectifyForm, RequestRecheckForm, RecheckForm)}
