from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.forms import RecordForm
from sanling.dictionary.selectors import dispute_category_choices
from sanling.events.models import PetitionLevel
from sanling.organisations.models import Organisation
from sanling.petitions.models import Channel
from sanling.regions.models import BELOW_VILLAGE_LEVELS, Region
from sanling.subjects.forms import RegionField

from .models import (
    DISPUTE_FIELDS,
    DISPUTE_PLACE_FIELDS,
    Diagnosis,
    Dispute,
    MediationMethod,
    ResolvedLevel,
    Satisfaction,
)
from .selectors import levels_above, levels_up_to


class DisputeForm(RecordForm):
    field_order = ["subject_code", "reported_on", "category", "summary", "grid"]

    class Meta:
        model = Dispute
        fields = [*DISPUTE_FIELDS, *DISPUTE_PLACE_FIELDS]
        widgets = {
            "reported_on": forms.DateInput(),
            "resolved_on": forms.DateInput(),
            "summary": forms.Textarea,
        }

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The county's list; a record's old free-text category stays offered until someone changes it.
        category = self.fields["category"]
        self.fields["category"] = forms.ChoiceField(
            label=category.label,
            required=False,
            choices=[("", "—"), *dispute_category_choices(keep=self.instance.category or "")],
        )
        # The grid it was found in (optional): a grid or 楼宇 of the user's area, which the model keeps to the
        # subject's village.
        self.fields["grid"] = RegionField(
            queryset=(grids if grids is not None else Region.objects.none()).filter(
                level__in=BELOW_VILLAGE_LEVELS
            ),
            label=_("Grid where it was found"),
            required=False,
        )
        if self.instance.pk and self.instance.grid_id:
            self.initial["grid"] = self.instance.grid.code


class DisputeCreateForm(DisputeForm):
    """Registering a dispute: the record, the level of the 三级过滤网 it starts at (组 by default) and, if the
    place's mediator is not the one, the organisation that takes it (首问负责)."""

    field_order = ["subject_code", "reported_on", "category", "summary", "grid", "level", "organisation"]

    organisation = forms.ModelChoiceField(
        label=_("Organisation handling it"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("The place's mediator"),
    )

    class Meta(DisputeForm.Meta):
        fields = [*DISPUTE_FIELDS, *DISPUTE_PLACE_FIELDS, "level"]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["level"].required = False
        self.fields["level"].initial = ResolvedLevel.GROUP

    def changes(self) -> dict:
        values = super().changes()
        values["level"] = values.get("level") or ResolvedLevel.GROUP
        values["organisation"] = self.cleaned_data.get("organisation")
        return values


# The moves of a case page. Each form carries the date of the step, a note and the version the handler
# loaded; ``arguments()`` is what its service takes. The choices are the model's own: the service is the one
# that judges whether a move, a level or a date fits this case, so a form never repeats the rule.


def _date_input() -> forms.DateInput:
    widget = forms.DateInput(format="%Y-%m-%d")
    widget.input_type = "date"
    return widget


class MoveForm(forms.Form):
    move = ""
    title = ""  # the button that opens and sends the form
    on = forms.DateField(label=_("Date of this step"), widget=_date_input())
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, dispute: Dispute, **kwargs):
        kwargs.setdefault("auto_id", f"id_{self.move}_%s")  # several forms on one page: ids stay unique
        super().__init__(*args, **kwargs)
        self.dispute = dispute
        self.fields["on"].initial = timezone.localdate()
        self.fields["version"].initial = dispute.version

    @property
    def url_name(self) -> str:
        return f"disputes:{self.move}"

    def arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class MediateForm(MoveForm):
    move = "mediate"
    title = _("Start mediation")
    diagnosis = forms.ChoiceField(
        label=_("Stage (四诊)"), required=False, choices=[("", "—"), *Diagnosis.choices]
    )
    field_order = ["on", "diagnosis", "note"]


def _levels(levels: list[str]) -> list[tuple[str, str]]:
    labels = dict(ResolvedLevel.choices)
    return [(level, labels[level]) for level in levels]


class EscalateForm(MoveForm):
    move = "escalate"
    title = _("Escalate")
    to_level = forms.ChoiceField(label=_("Hand up to"), choices=ResolvedLevel.choices)
    field_order = ["on", "to_level", "note"]

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered: the levels above; the service refuses any other with its message.
        self.fields["to_level"].widget.choices = _levels(levels_above(self.dispute.level))
        self.fields["note"].label = _("Reason or note (a reason is required when skipping a level)")


class ResolveForm(MoveForm):
    move = "resolve"
    title = _("Resolve")
    level = forms.ChoiceField(label=_("Resolved at"), choices=ResolvedLevel.choices)
    method = forms.ChoiceField(label=_("Mediation method"), choices=[("", "—"), *MediationMethod.choices])
    agreement = forms.CharField(
        label=_("Agreement"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["on", "level", "method", "agreement", "note"]

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].widget.choices = _levels(levels_up_to(self.dispute.level))
        self.fields["level"].initial = self.dispute.level
        self.fields["method"].error_messages["required"] = _(
            "Say how the dispute was resolved (the mediation method)."
        )


class FailForm(MoveForm):
    move = "fail"
    title = _("Mediation failed")


class ToPetitionForm(MoveForm):
    move = "to_petition"
    title = _("Turn into a petition")
    petition_level = forms.ChoiceField(label=_("Petition level"), choices=PetitionLevel.choices)
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.VISIT)
    petitioner_name = forms.CharField(label=_("Petitioner"), required=False, max_length=60)
    petitioner_id_number = forms.CharField(label=_("ID number"), required=False, max_length=18)
    petitioner_phone = forms.CharField(label=_("Phone"), required=False, max_length=24)
    field_order = [
        "on",
        "petition_level",
        "channel",
        "petitioner_name",
        "petitioner_id_number",
        "petitioner_phone",
        "note",
    ]

    def __init__(self, *args, grids=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["petition_level"].initial = "town"
        for name in ("petitioner_name", "petitioner_id_number", "petitioner_phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"  # personal data: not kept by the browser

    def arguments(self) -> dict:
        data = super().arguments()
        # The petitioner's data is optional: leave out what was not typed.
        for name in ("petitioner_name", "petitioner_id_number", "petitioner_phone"):
            if not data.get(name):
                data.pop(name, None)
        return data


class ToLitigationForm(MoveForm):
    move = "to_litigation"
    title = _("Turn to litigation or arbitration")


class FollowUpForm(MoveForm):
    move = "follow_up"
    title = _("Follow-up visit")
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=[("", "—"), *Satisfaction.choices])
    field_order = ["on", "satisfaction", "note"]


MOVE_FORMS: dict[str, type[MoveForm]] = {
    form.move: form
    for form in (
        MediateForm,
        EscalateForm,
        ResolveForm,
        FailForm,
        ToPetitionForm,
        ToLitigationForm,
        FollowUpForm,
    )
}
