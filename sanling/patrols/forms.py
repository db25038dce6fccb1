"""Forms of patrols: the log form a patroller fills in on a phone, and the team and shift forms. The choices
are the reader's scope; the services judge the rules (a form never repeats them)."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.core.forms import SubjectCodeField
from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices
from sanling.hazards.models import HazardLevel
from sanling.regions.models import Region

from .models import PatrolShift, PatrolTeam, TeamKind
from .services import OpenCase

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def datetime_input() -> forms.DateTimeInput:
    widget = forms.DateTimeInput(format=DATETIME_FORMAT)
    widget.input_type = "datetime-local"
    return widget


def time_input() -> forms.TimeInput:
    widget = forms.TimeInput(format="%H:%M")
    widget.input_type = "time"
    return widget


class RegionCodeField(forms.ModelChoiceField):
    """A region typed as its code (the box suggests the reader's areas), looked up in their scope."""

    default_error_messages = {"invalid_choice": _("No area with this code in your part of the county.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "area-options", "autocomplete": "off"}))
        super().__init__(queryset=Region.objects.none(), to_field_name="code", **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Region):
            return value.code
        if isinstance(value, int):
            return Region.objects.filter(pk=value).values_list("code", flat=True).first() or value
        return super().prepare_value(value)


class OptionalSubjectCodeField(SubjectCodeField):
    """A subject by code or name, or nothing (the case then opens at the area's village or community)."""

    def clean(self, value):
        if not (value or "").strip():
            return None
        return super().clean(value)


def open_case_choices() -> list[tuple[str, str]]:
    return [
        (OpenCase.NONE, _("Open nothing")),
        (OpenCase.HAZARD, _("Open a hazard (隐患)")),
        (OpenCase.DISPUTE, _("Open a dispute (矛盾纠纷)")),
    ]


class FindingCaseFields(forms.Form):
    """What a finding opens, shared by the patrol log and the meeting problem forms."""

    open_case = forms.ChoiceField(label=_("Open a case from it"), required=False, choices=())
    case_subject = OptionalSubjectCodeField(
        label=_("Subject the case is opened at (empty: the area's village or community)"), required=False
    )
    hazard_category = forms.ChoiceField(label=_("Hazard category"), required=False, choices=())
    hazard_level = forms.ChoiceField(
        label=_("Hazard level"),
        required=False,
        choices=HazardLevel.choices,
    )

    def setup_case_fields(self, subjects) -> None:
        self.fields["open_case"].choices = open_case_choices()
        self.fields["case_subject"].queryset = subjects
        self.fields["hazard_category"].choices = [("", "—"), *entry_choices(EntryType.HAZARD_CATEGORY)]


class PatrolLogForm(FindingCaseFields):
    """A patrol as the patroller records it, in the order they live it: team and shift, where and when,
    the 四防 type, who went and whom they met, what they found."""

    team = forms.ModelChoiceField(label=_("Team"), queryset=PatrolTeam.objects.none())
    shift = forms.ModelChoiceField(label=_("Shift"), queryset=PatrolShift.objects.none(), required=False)
    region = RegionCodeField(label=_("Area (community or grid code)"))
    started_at = forms.DateTimeField(label=_("Started at"), widget=datetime_input())
    ended_at = forms.DateTimeField(label=_("Ended at"), widget=datetime_input())
    route = forms.CharField(label=_("Route or area"), max_length=500)
    defence_type = forms.ChoiceField(label=_("Type (四防)"), choices=())
    participants = forms.IntegerField(label=_("Patrollers"), min_value=1, initial=2)
    residents_contacted = forms.IntegerField(label=_("Residents met (见警)"), min_value=0, initial=0)
    findings = forms.CharField(
        label=_("Findings"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = [
        "team",
        "shift",
        "region",
        "started_at",
        "ended_at",
        "route",
        "defence_type",
        "participants",
        "residents_contacted",
        "findings",
        "open_case",
        "case_subject",
        "hazard_category",
        "hazard_level",
    ]

    def __init__(self, *args, teams, regions, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams.filter(active=True)
        self.fields["shift"].queryset = PatrolShift.objects.filter(team__in=teams).select_related("team")
        self.fields["shift"].label_from_instance = lambda shift: f"{shift.team.name} · {shift}"
        self.fields["region"].queryset = regions
        self.fields["defence_type"].choices = [("", "—"), *entry_choices(EntryType.DEFENCE_TYPE)]
        self.setup_case_fields(subjects)
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["ended_at"].initial = now
        self.fields["started_at"].initial = now - datetime.timedelta(hours=2)

    def arguments(self) -> dict:
        """What ``patrol_log_create`` takes."""
        data = dict(self.cleaned_data)
        data["open_case"] = data.get("open_case") or OpenCase.NONE
        data["case_subject"] = data.get("case_subject") or None
        return data


class PatrolLogEditForm(forms.Form):
    """Correcting a log: the case its finding opened stays its own."""

    shift = forms.ModelChoiceField(label=_("Shift"), queryset=PatrolShift.objects.none(), required=False)
    region = RegionCodeField(label=_("Area (community or grid code)"))
    started_at = forms.DateTimeField(label=_("Started at"), widget=datetime_input())
    ended_at = forms.DateTimeField(label=_("Ended at"), widget=datetime_input())
    route = forms.CharField(label=_("Route or area"), max_length=500)
    defence_type = forms.ChoiceField(label=_("Type (四防)"), choices=())
    participants = forms.IntegerField(label=_("Patrollers"), min_value=1)
    residents_contacted = forms.IntegerField(label=_("Residents met (见警)"), min_value=0)
    findings = forms.CharField(
        label=_("Findings"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, log, regions, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "shift": log.shift_id,
                "region": log.region.code,
                "started_at": timezone.localtime(log.started_at),
                "ended_at": timezone.localtime(log.ended_at),
                "route": log.route,
                "defence_type": log.defence_type,
                "participants": log.participants,
                "residents_contacted": log.residents_contacted,
                "findings": log.findings,
                "version": log.version,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["shift"].queryset = PatrolShift.objects.filter(team=log.team)
        self.fields["region"].queryset = regions
        self.fields["defence_type"].choices = [
            ("", "—"),
            *entry_choices(EntryType.DEFENCE_TYPE, keep=log.defence_type),
        ]

    def changes(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class PatrolTeamForm(forms.Form):
    region = RegionCodeField(label=_("Region (community or town code)"))
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=TeamKind.choices)
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None, required=False)
    members = forms.CharField(
        label=_("Members (who makes up the team)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    member_count = forms.IntegerField(label=_("Number of members"), min_value=0, initial=0)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, regions, organisations, team=None, **kwargs):
        if team is not None:
            kwargs.setdefault(
                "initial",
                {
                    "region": team.region.code,
                    "name": team.name,
                    "kind": team.kind,
                    "organisation": team.organisation_id,
                    "members": team.members,
                    "member_count": team.member_count,
                    "active": team.active,
                    "version": team.version,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["organisation"].queryset = organisations
        if team is not None:
            self.fields["region"].disabled = True  # a team keeps its region: its logs lie there


class PatrolShiftForm(forms.Form):
    name = forms.CharField(label=_("Shift name (白班, 夜班)"), max_length=40)
    starts_at = forms.TimeField(label=_("Starts at"), widget=time_input())
    ends_at = forms.TimeField(label=_("Ends at"), widget=time_input())
