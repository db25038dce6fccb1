from django import forms
from django.utils.translation import gettext_lazy as _

from sanling.core.record_filters import PeriodField

from .models import DutyFrequency, DutyLevel
from .sources import SOURCES


class UnreportedForm(forms.Form):
    region = forms.CharField(label=_("Region code"), required=False)
    period = PeriodField(label=_("Period"), required=False)


class DutyForm(forms.Form):
    level = forms.ChoiceField(label=_("Who"), choices=DutyLevel.choices)
    source = forms.ChoiceField(
        label=_("What"), choices=[(code, source.label) for code, source in SOURCES.items()]
    )
    frequency = forms.ChoiceField(label=_("How often"), choices=DutyFrequency.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
