"""Forms of reports: asking for one, and sending it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import Scope

from .models import Audience, ReportFormat, ReportKind

SENDABLE = [(value, label) for value, label in Audience.choices if value != Audience.OTHER]


def region_choices(scope: Scope) -> list[tuple[str, str]]:
    """The regions a user may report on: their own and the towns (and counties) under it."""
    if not scope.can_supervise or (scope.region is None and not scope.everything):
        return []
    regions = scope.regions().filter(level__in=("province", "city", "county", "town")).order_by("path")
    return [(region.code, region.name) for region in regions[:500]]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReportKind.choices)
    # A code, checked against the user's area by the service (its refusal names the region).
    region = forms.CharField(label=_("Region"), max_length=32, widget=forms.Select)
    period = forms.CharField(label=_("Period"), max_length=10, help_text=_("2025, 2025Q1 or 2025-03"))
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].widget.choices = region_choices(scope)


class DistributeForm(forms.Form):
    audiences = forms.MultipleChoiceField(
        label=_("Send to"), choices=SENDABLE, widget=forms.CheckboxSelectMultiple, required=True
    )
