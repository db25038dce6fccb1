"""The form a county administrator sets a target with. The service judges the rules (range, years, scope);
the value is taken as typed so its error is the service's Chinese one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanling.patrols.forms import RegionCodeField
from sanling.subjects.models import Group

from .models import Indicator
from .services import target_years


class TargetForm(forms.Form):
    region = RegionCodeField(label=_("Region (code)"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    indicator = forms.ChoiceField(label=_("Indicator"), choices=Indicator.choices)
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=[("", _("All groups")), *Group.choices]
    )
    value = forms.CharField(
        label=_("Target (%)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["year"].choices = [(year, f"{year}年") for year in target_years()]
