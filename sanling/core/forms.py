"""Form pieces shared by the reporting screens."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SubjectCodeField(forms.CharField):
    """A subject typed as its code (the box suggests names as you type), looked up in the user's scope."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("label", _("Subject"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "subject-options", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.queryset = queryset

    def clean(self, value):
        code = super().clean(value).strip()
        subject = self.queryset.filter(code=code).first() if self.queryset is not None else None
        if subject is None:
            raise forms.ValidationError(
                _("No subject with code “%(code)s” in your area."), params={"code": code}
            )
        return subject


class RecordForm(forms.ModelForm):
    """A dated record of a subject (event or dispute): the subject by code, and the version being edited."""

    subject_code = SubjectCodeField()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_code"].queryset = subjects
        self.fields["subject_code"].widget.attrs.update(
            {
                "hx-get": reverse("subjects:search"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#subject-options",
            }
        )
        if self.instance.pk:
            self.fields["subject_code"].initial = self.instance.subject.code
            self.fields["version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"  # what <input type=date> expects, whatever the locale

    def clean(self):
        cleaned = super().clean()
        if "subject_code" in cleaned:
            self.instance.subject = cleaned["subject_code"]
        return cleaned

    def changes(self) -> dict:
        """The edited fields, with the subject, for the update service."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        values["subject"] = self.cleaned_data["subject_code"]
        return values
