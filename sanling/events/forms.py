from django import forms

from sanling.core.forms import RecordForm

from .models import EVENT_FIELDS, Event


class EventForm(RecordForm):
    field_order = ["subject_code", "type", "occurred_on", "title"]

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {"occurred_on": forms.DateInput()}
