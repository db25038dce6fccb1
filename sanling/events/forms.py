from django import forms
from django.utils.translation import gettext_lazy as _

from sanling.core.forms import RecordForm

from .models import EVENT_FIELDS, Event


class EventForm(RecordForm):
    field_order = ["subject_code", "type", "occurred_on", "title"]
    # The hazard (隐患) an accident came from, by its reference: only a hazard of the same subject.
    hazard_ref = forms.CharField(
        label=_("From hazard (reference)"),
        required=False,
        max_length=40,
        help_text=_("An accident may name the hazard of the same subject it came from."),
    )

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {"occurred_on": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.hazard_id:
            self.fields["hazard_ref"].initial = self.instance.hazard.ref

    def clean(self):
        cleaned = super().clean()
        ref = (cleaned.get("hazard_ref") or "").strip()
        cleaned["hazard"] = None
        if ref and "subject_code" in cleaned:
            from sanling.hazards.models import Hazard

            hazard = Hazard.objects.filter(ref=ref, subject=cleaned["subject_code"]).first()
            if hazard is None:
                self.add_error("hazard_ref", _("No hazard with this reference at this subject."))
            else:
                cleaned["hazard"] = hazard
                self.instance.hazard = hazard
        return cleaned

    def changes(self) -> dict:
        values = super().changes()
        values["hazard"] = self.cleaned_data.get("hazard")
        return values
