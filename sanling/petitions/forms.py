"""Forms of the petition pages: registering a petition or an agency case, each move of a petition, putting a
case on the 积案 ledger and ticking its checklist. The services validate the rules; these forms only read
what was typed (and say in Chinese what cannot be read)."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.forms import RecordForm
from sanling.core.validators import normalize_phone, validate_phone
from sanling.disputes.models import Satisfaction
from sanling.organisations.models import Organisation
from sanling.regions.models import codes_in_path

from .models import AgencyCase, Petition, normalize_id_number
from .selectors import higher_levels

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PetitionForm(RecordForm):
    """登记: how it came in, who (personal data, stored encrypted), what, and the level it reached."""

    field_order = ["subject_code", "received_on", "channel", "visit_mode", "level", "summary"]

    class Meta:
        model = Petition
        fields = [
            "received_on",
            "channel",
            "visit_mode",
            "level",
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
        widgets = {"received_on": forms.DateInput(), "summary": forms.Textarea}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["petitioner_id_number"].widget.attrs.update({"autocomplete": "off", "inputmode": "text"})
        self.fields["petitioner_phone"].widget.attrs.update({"autocomplete": "off", "inputmode": "tel"})

    def clean_petitioner_name(self) -> str:
        return " ".join((self.cleaned_data.get("petitioner_name") or "").split())

    def clean_petitioner_id_number(self) -> str:
        # The check digit and the birth date are checked by the model (python-stdnum, GB 11643).
        return normalize_id_number(self.cleaned_data.get("petitioner_id_number") or "")

    def clean_petitioner_phone(self) -> str:
        phone = normalize_phone((self.cleaned_data.get("petitioner_phone") or "").strip())
        if phone:
            validate_phone(phone)
        return phone


class StepForm(forms.Form):
    """One move of a case: the day it happened and a note; ``version`` is the one the page showed."""

    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 2

    def arguments(self) -> dict:
        """What the service takes from this form (besides the case)."""
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class ExtendForm(StepForm):
    note = forms.CharField(label=_("Reason for the extension"), max_length=2000, widget=forms.Textarea)


class ConcludeForm(StepForm):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction (follow-up visit)"), required=False, choices=[("", "—"), *Satisfaction.choices]
    )


class EscalateForm(StepForm):
    level = forms.ChoiceField(label=_("To level"))
    bypass = forms.BooleanField(label=_("The petitioner bypassed a level (越级)"), required=False)

    def __init__(self, *args, petition: Petition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = higher_levels(petition.level)


ACTION_FORMS = {
    "accept": StepForm,
    "extend": ExtendForm,
    "reply": StepForm,
    "review": StepForm,
    "conclude": ConcludeForm,
    "escalate": EscalateForm,
}


def action_form(action: str, petition: Petition, data=None) -> StepForm:
    form_class = ACTION_FORMS[action]
    kwargs = {"prefix": action, "initial": {"version": petition.version}}
    if form_class is EscalateForm:
        kwargs["petition"] = petition
    return form_class(data, **kwargs)


def responsible_organisations(item) -> "Organisation.objects":
    """Who can be made responsible for a case: the active organisations standing at its place or above it,
    and those of its subject's department."""
    subject = item.subject
    condition = Q(region__code__in=codes_in_path(subject.region.path))
    if subject.department_id:
        condition |= Q(department_id=subject.department_id)
    return Organisation.objects.filter(condition, active=True).order_by("region__path", "code")


class BacklogFlagForm(forms.Form):
    """列入积案: 责任单位、责任人、包案领导 and 化解时限 (中站区)."""

    on = forms.DateField(label=_("Flagged on"), widget=DATE_INPUT)
    responsible_organisation = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Organisation.objects.none()
    )
    responsible_person = forms.CharField(label=_("Responsible person"), max_length=60)
    leader = forms.CharField(label=_("Leader in charge (包案领导)"), max_length=60)
    deadline = forms.DateField(label=_("Resolve by"), widget=DATE_INPUT)

    def __init__(self, *args, item, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("on", timezone.localdate())
        kwargs.setdefault("prefix", "backlog")
        super().__init__(*args, **kwargs)
        self.fields["responsible_organisation"].queryset = responsible_organisations(item)
        if item.organisation_id:
            self.fields["responsible_organisation"].initial = item.organisation_id


class BacklogCheckForm(forms.Form):
    """Tick (or untick) one item of a 积案's checklist."""

    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    done = forms.BooleanField(required=False, widget=forms.HiddenInput)
    on = forms.DateField(label=_("Done on"), required=False, widget=DATE_INPUT)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("done") and not cleaned.get("on"):
            self.add_error("on", _("Give the day this item was done."))
        if cleaned.get("on") and cleaned["on"] > timezone.localdate():
            self.add_error("on", _("The date of a step cannot be in the future."))
        return cleaned


class AgencyForm(RecordForm):
    """申请: a petitioner asks for an agent to carry their matter (信访代理)."""

    field_order = ["subject_code", "applied_on", "summary", "applicant_name", "petition_ref"]
    petition_ref = forms.CharField(label=_("Petition reference (optional)"), required=False, max_length=40)

    class Meta:
        model = AgencyCase
        fields = ["applied_on", "summary", "applicant_name"]
        widgets = {"applied_on": forms.DateInput(), "summary": forms.Textarea}

    def __init__(self, *args, petitions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.petitions = petitions

    def clean_applicant_name(self) -> str:
        return " ".join((self.cleaned_data.get("applicant_name") or "").split())

    def clean_petition_ref(self):
        ref = (self.cleaned_data.get("petition_ref") or "").strip()
        if not ref:
            return None
        petition = self.petitions.filter(ref=ref).first() if self.petitions is not None else None
        if petition is None:
            raise forms.ValidationError(
                _("No petition with the reference “%(ref)s” in your area."), params={"ref": ref}
            )
        return petition

    def changes(self) -> dict:
        values = super().changes()
        values["petition"] = self.cleaned_data.get("petition_ref")
        return values


class AgencyAdvanceForm(StepForm):
    """The next step of the ladder: the agent's name when one is assigned, and at the end the satisfaction
    and whether the matter must be decided by a higher authority (须由上级解决)."""

    agent_name = forms.CharField(label=_("Agent"), required=False, max_length=60)
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), required=False, choices=[("", "—"), *Satisfaction.choices]
    )
    higher_authority_required = forms.BooleanField(
        label=_("Must be decided by a higher authority (须由上级解决)"), required=False
    )

    def __init__(self, *args, next_step: str, **kwargs):
        kwargs.setdefault("prefix", "advance")
        super().__init__(*args, **kwargs)
        if next_step != "agent_assigned":
            del self.fields["agent_name"]
        if next_step != "concluded":
            del self.fields["satisfaction"]
            del self.fields["higher_authority_required"]

    def arguments(self) -> dict:
        data = super().arguments()
        if "higher_authority_required" in data and not data["higher_authority_required"]:
            data["higher_authority_required"] = None  # unticked: leave it as it is
        return data
