"""Form pieces shared by the reporting screens."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SubjectCodeField(forms.CharField):
    """A subject typed as its code or its exact name (the box suggests names with codes as you type), looked
    up in the user's scope. A name that several subjects in scope share asks for the code."""

    def __init__(self, *, queryset=None, **kwargs):
        kwargs.setdefault("label", _("Subject"))
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "subject-options", "autocomplete": "off"}))
        super().__init__(**kwargs)
        self.queryset = queryset

    def clean(self, value):
        text = super().clean(value).strip()
        if self.queryset is None:
            raise forms.ValidationError(
                _("No subject with the code or name “%(text)s” in your area."), params={"text": text}
            )
        subject = self.queryset.filter(code=text).first()
        if subject is not None:
            return subject
        named = list(self.queryset.filter(name=text).select_related("region").order_by("code")[:10])
        if len(named) == 1:
            return named[0]
        if named:
            raise forms.ValidationError(
                _("%(count)s subjects are named “%(name)s”: type the code of the one you mean (%(codes)s)."),
                params={
                    "count": self.queryset.filter(name=text).count(),
                    "name": text,
                    "codes": "、".join(f"{subject.code} {subject.region.name}" for subject in named),
                },
            )
        raise forms.ValidationError(
            _("No subject with the code or name “%(text)s” in your area."), params={"text": text}
        )


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
