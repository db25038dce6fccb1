from django import forms

from sanling.core.forms import RecordForm

from .models import Dispute


class DisputeForm(RecordForm):
    field_order = ["subject_code", "reported_on", "category", "summary"]

    class Meta:
        model = Dispute
        fields = ["reported_on", "category", "summary", "status", "resolved_level", "resolved_on", "method"]
        widgets = {
            "reported_on": forms.DateInput(),
            "resolved_on": forms.DateInput(),
            "summary": forms.Textarea,
        }
