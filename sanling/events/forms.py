from django import forms

from sanling.core.forms import RecordForm

from .models import Event


class EventForm(RecordForm):
    field_order = ["subject_code", "type", "occurred_on", "title"]

    class Meta:
        model = Event
        fields = [
            "type",
            "occurred_on",
            "title",
            "petition_level",
            "higher_authority_required",
            "collective",
            "accident_grade",
            "deaths",
            "injuries",
            "status",
        ]
        widgets = {"occurred_on": forms.DateInput()}
