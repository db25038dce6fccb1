"""The 走访 forms: phone first (one hand at 375 px), what was typed kept when a check fails."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.forms import SubjectCodeField
from sanling.regions.models import Region

from .filters import theme_choices
from .models import HOUSEHOLD_LEVELS, PERSONS_MET_MAX, HouseholdCount, HouseholdVisit


class RegionCodeField(forms.ModelChoiceField):
    """A region picked from the user's own (by code)."""

    def label_from_instance(self, region: Region) -> str:
        return f"{region.name}（{region.code}）"


def household_regions(scope) -> "forms.QuerySet":
    return scope.regions().filter(level__in=HOUSEHOLD_LEVELS).order_by("path")


class VisitForm(forms.ModelForm):
    """Record or edit a visit. The region list is the user's villages, grids and buildings; a grid
    worker's own region comes first selected."""

    region = RegionCodeField(
        queryset=Region.objects.none(), to_field_name="code", label=_("Where (village, grid or building)")
    )
    theme = forms.ChoiceField(label=_("Theme"), choices=())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = HouseholdVisit
        fields = ["region", "household", "visited_on", "theme", "persons_met", "findings"]
        widgets = {
            "visited_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "household": forms.TextInput(
                attrs={"autocomplete": "off", "placeholder": _("e.g. 3组12号 or 2栋1单元301")}
            ),
            "persons_met": forms.NumberInput(
                attrs={"inputmode": "numeric", "min": 1, "max": PERSONS_MET_MAX, "class": "big-number"}
            ),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = household_regions(scope)
        self.fields["theme"].choices = [("", "—"), *theme_choices()]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["theme"].choices = [("", "—"), *_with_stored(theme_choices(), self.instance.theme)]
        else:
            self.initial.setdefault("visited_on", timezone.localdate())
            self.initial.setdefault("persons_met", 1)
            if scope.region is not None and scope.region.level in HOUSEHOLD_LEVELS:
                self.initial.setdefault("region", scope.region.code)

    def _post_clean(self):
        # The services validate (scope, theme, dates); the form only reads the values.
        pass

    def changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}


def _with_stored(choices: list, stored: str) -> list:
    if stored and stored not in {code for code, _label in choices}:
        return [*choices, (stored, stored)]
    return choices


class VisitDisputeForm(forms.Form):
    """Open a dispute from what the visit found."""

    subject_code = SubjectCodeField()
    summary = forms.CharField(label=_("Summary"), max_length=200)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject_code"].queryset = subjects


class HouseholdCountForm(forms.ModelForm):
    region = RegionCodeField(queryset=Region.objects.none(), to_field_name="code", label=_("Region"))

    class Meta:
        model = HouseholdCount
        fields = ["region", "households", "residents", "as_of", "note"]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "households": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "residents": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.initial.setdefault("as_of", timezone.localdate())

    def _post_clean(self):
        pass
