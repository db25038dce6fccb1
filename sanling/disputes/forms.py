from django import forms

from sanling.core.forms import RecordForm

from .models import DISPUTE_FIELDS, Dispute


class DisputeForm(RecordForm):
    field_order = ["subject_code", "reported_on", "category", "summary"]

    class Meta:
        model = Dispute
        fields = list(DISPUTE_FIELDS)
        widgets = {
            "reported_on": forms.DateInput(),
            "resolved_on": forms.DateInput(),
            "summary": forms.Textarea,
        }
