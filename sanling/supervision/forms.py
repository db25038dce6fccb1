"""Forms of 督查: the visit with up to five findings (a phone's form: one finding a block), the letter's
steps, and the county's rules. The services judge the rules; these only read the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanling.patrols.forms import OptionalSubjectCodeField

from .models import DEFAULT_RESPONSE_DAYS, DEFAULT_WINDOW_DAYS
from .services import FindingInput

FINDING_ROWS = 5


def _date_input() -> forms.DateInput:
    widget = forms.DateInput(format="%Y-%m-%d")
    widget.input_type = "date"
    return widget


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=_date_input())
    organisation = forms.ModelChoiceField(
        label=_("Visiting organisation"), queryset=None, required=False, empty_label="—"
    )
    visitors = forms.CharField(label=_("Who visited"), max_length=300)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Summary"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class FindingRowForm(forms.Form):
    """One finding: the subject (code or name), what was found, and a photo if taken."""

    subject = OptionalSubjectCodeField(label=_("Subject (code or name)"), required=False)
    text = forms.CharField(
        label=_("What was found"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "落实不细不实"}),
    )
    photo = forms.FileField(label=_("Photo (evidence)"), required=False)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects

    def clean(self):
        data = super().clean()
        if data.get("subject") and not (data.get("text") or "").strip():
            self.add_error("text", _("Describe what was found."))
        if (data.get("text") or "").strip() and not data.get("subject") and "subject" not in self.errors:
            self.add_error("subject", _("Name the subject of this finding."))
        return data

    def finding(self) -> FindingInput | None:
        data = self.cleaned_data
        if not data.get("subject"):
            return None
        photos = (data["photo"],) if data.get("photo") else ()
        return FindingInput(subject=data["subject"], text=data["text"], photos=photos)


def finding_forms(data=None, files=None, *, subjects) -> list[FindingRowForm]:
    return [
        FindingRowForm(data, files, subjects=subjects, prefix=f"finding-{number}")
        for number in range(1, FINDING_ROWS + 1)
    ]


class VersionForm(forms.Form):
    """A step on a letter; the letter's page shows several, so each form's ids carry its own prefix."""

    id_prefix = "step"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class IssueForm(VersionForm):
    id_prefix = "issue"
    sent_to = forms.ModelChoiceField(label=_("Sent to"), queryset=None)
    number = forms.CharField(label=_("Document number (empty: the next one)"), max_length=60, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_to"].queryset = organisations


class DeclineForm(VersionForm):
    id_prefix = "decline"
    reason = forms.CharField(label=_("Reason for not issuing"), max_length=500, required=False)


class RespondForm(VersionForm):
    id_prefix = "respond"
    text = forms.CharField(
        label=_("Answer: what was put right"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class PolicyForm(VersionForm):
    id_prefix = "id"
    window_days = forms.IntegerField(
        label=_("Window (days between two findings of one run)"),
        min_value=1,
        max_value=3660,
        initial=DEFAULT_WINDOW_DAYS,
    )
    reminder_days = forms.IntegerField(
        label=_("Days to answer a reminder letter"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_RESPONSE_DAYS["reminder"],
    )
    notice_days = forms.IntegerField(
        label=_("Days to answer a notice of criticism"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_RESPONSE_DAYS["notice"],
    )
    interview_days = forms.IntegerField(
        label=_("Days to answer an interview letter"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_RESPONSE_DAYS["interview"],
    )
    accountability_days = forms.IntegerField(
        label=_("Days to answer an accountability letter"),
        min_value=1,
        max_value=365,
        initial=DEFAULT_RESPONSE_DAYS["accountability"],
    )


class TemplateForm(VersionForm):
    id_prefix = "id"
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Body"), max_length=10000, widget=forms.Textarea(attrs={"rows": 14}))
