"""Forms of 交办: giving one by hand, feeding back with evidence, accepting or returning. Each keeps what was
typed when the service refuses it."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import DATE

from .models import Assignment


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (the phone's camera or a scan, one or more)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AssignmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Receiving organisation"), queryset=None, to_field_name="code"
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        help_text=_("A member of the organisation; left empty, its head."),
    )
    issue = forms.CharField(label=_("Issue"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000)
    subjects = forms.CharField(
        label=_("Subjects (codes)"),
        required=False,
        help_text=_("Optional: the codes of the subjects it is about, separated by spaces or commas."),
    )
    due_on = forms.DateField(label=_("Deadline"), widget=DATE)

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope
        self.fields["organisation"].queryset = (
            scope.organisations()
            .filter(active=True)
            .select_related("region")
            .order_by("region__path", "code")
        )
        self.fields["owner"].queryset = (
            get_user_model().objects.filter(pk__in=scope.members().values("pk")).order_by("username")
        )
        if not self.is_bound:
            self.initial.setdefault("due_on", timezone.localdate() + timezone.timedelta(days=7))

    def clean_subjects(self):
        codes = [
            code
            for code in self.cleaned_data["subjects"].replace("，", ",").replace(",", " ").split()
            if code
        ]
        subjects = list(self.scope.subjects().filter(code__in=codes))
        missing = sorted(set(codes) - {subject.code for subject in subjects})
        if missing:
            raise forms.ValidationError(
                _("No such subject in your area: %(codes)s") % {"codes": "、".join(missing)}
            )
        return subjects


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 5}), max_length=4000
    )
    evidence = MultipleFileField(
        label=_("Evidence"),
        required=False,
        help_text=_("At least one photo, scan or PDF."),
    )
    late_reason = forms.CharField(
        label=_("Reason for late feedback"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=_("Needed when the deadline has passed."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        if not self.is_bound:
            self.initial["version"] = assignment.version

    def arguments(self) -> dict:
        data = self.cleaned_data
        return {"text": data["text"], "evidence": data["evidence"], "late_reason": data["late_reason"]}


class AcceptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = assignment.version

    def arguments(self) -> dict:
        return {"note": self.cleaned_data["note"]}


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, assignment: Assignment, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["version"] = assignment.version

    def arguments(self) -> dict:
        return {"reason": self.cleaned_data["reason"]}


class FromWarningsForm(forms.Form):
    due_on = forms.DateField(label=_("Deadline"), widget=DATE)
    heading = forms.CharField(label=_("Instruction"), required=False, max_length=500)
