"""Forms of meetings: the record form (attendance by participant category, the problems raised one a line)
and the form that adds a problem, which may open a case. The services judge the rules."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from sanling.dictionary.models import EntryType
from sanling.dictionary.selectors import entry_choices
from sanling.patrols.forms import FindingCaseFields, OptionalSubjectCodeField, RegionCodeField

from .models import ParticipantCategory
from .services import AttendeeInput, ProblemInput

NAME_SEPARATORS = re.compile(r"[\n\r,，、;；]+")


def _date_input() -> forms.DateInput:
    widget = forms.DateInput(format="%Y-%m-%d")
    widget.input_type = "date"
    return widget


def _names(text: str) -> list[str]:
    return [name.strip() for name in NAME_SEPARATORS.split(text or "") if name.strip()]


class MeetingForm(forms.Form):
    """A meeting as the community records it: where, which kind, when; who attended, by category (names
    separated by 、 or one a line); the minutes; the problems raised, one a line."""

    region = RegionCodeField(label=_("Community (code)"))
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=())
    held_on = forms.DateField(label=_("Held on"), widget=_date_input())
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    minutes = forms.CharField(
        label=_("Minutes"), max_length=10000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    absent = forms.CharField(
        label=_("Absent (category code: name, one a line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    problems = forms.CharField(
        label=_("Problems raised (one a line; open a case from one on the meeting's page)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, regions, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["region"].queryset = regions
        self.fields["kind"].choices = [
            ("", "—"),
            *entry_choices(EntryType.MEETING_KIND, keep=meeting.kind if meeting else ""),
        ]
        if meeting is None:
            # One box per participant category: the 510's five first.
            for code, label in ParticipantCategory.choices:
                self.fields[f"attend_{code}"] = forms.CharField(
                    label=_("Present: %(category)s") % {"category": label},
                    required=False,
                    widget=forms.TextInput(attrs={"autocomplete": "off"}),
                )
            order = ["region", "kind", "held_on", "place"]
            order += [f"attend_{code}" for code in ParticipantCategory.values]
            self.order_fields([*order, "absent", "minutes", "problems"])
        else:
            for name in ("region", "kind", "absent", "problems"):
                self.fields[name].disabled = True
                self.fields[name].required = False
            self.initial.update(
                {
                    "region": meeting.region.code,
                    "kind": meeting.kind,
                    "held_on": meeting.held_on,
                    "place": meeting.place,
                    "minutes": meeting.minutes,
                    "version": meeting.version,
                }
            )
            for name in ("absent", "problems"):
                del self.fields[name]

    def clean_absent(self) -> list[AttendeeInput]:
        rows = []
        labels = {str(label): code for code, label in ParticipantCategory.choices}
        for line in (self.cleaned_data.get("absent") or "").splitlines():
            if not line.strip():
                continue
            category, _sep, name = line.replace("：", ":").partition(":")
            code = labels.get(category.strip(), category.strip())
            if code not in ParticipantCategory.values or not name.strip():
                raise forms.ValidationError(
                    _("Write each absentee as “category: name”, e.g. 居民代表: 张三.")
                )
            rows.append(AttendeeInput(category=code, name=name.strip(), present=False))
        return rows

    def create_arguments(self) -> dict:
        data = self.cleaned_data
        attendance = [
            AttendeeInput(category=code, name=name)
            for code in ParticipantCategory.values
            for name in _names(data.get(f"attend_{code}", ""))
        ]
        return {
            "region": data["region"],
            "kind": data["kind"],
            "held_on": data["held_on"],
            "place": data.get("place", ""),
            "minutes": data.get("minutes", ""),
            "attendance": [*attendance, *data.get("absent", [])],
            "problems": [
                ProblemInput(text=line.strip())
                for line in (data.get("problems") or "").splitlines()
                if line.strip()
            ],
        }

    def update_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "place": data.get("place", ""),
            "minutes": data.get("minutes", ""),
        }


class ProblemForm(FindingCaseFields):
    """A problem raised at a meeting, and the case it opens (a dispute of [7], or a hazard)."""

    text = forms.CharField(label=_("Problem"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    field_order = ["text", "open_case", "case_subject", "hazard_category", "hazard_level"]

    def __init__(self, *args, subjects, **kwargs):
        kwargs.setdefault("auto_id", "id_problem_%s")
        super().__init__(*args, **kwargs)
        self.setup_case_fields(subjects)

    def problem(self) -> ProblemInput:
        data = self.cleaned_data
        return ProblemInput(
            text=data["text"],
            open_case=data.get("open_case") or "",
            subject=data.get("case_subject") or None,
            hazard_category=data.get("hazard_category") or "",
            hazard_level=data.get("hazard_level") or "",
        )


class ProblemCaseForm(FindingCaseFields):
    """Open the case of a problem recorded without one (立案 a dispute, or 上报隐患)."""

    field_order = ["open_case", "case_subject", "hazard_category", "hazard_level"]

    def __init__(self, *args, subjects, problem_pk: int, **kwargs):
        kwargs.setdefault("auto_id", f"id_problem{problem_pk}_%s")
        super().__init__(*args, **kwargs)
        self.problem_pk = problem_pk
        self.setup_case_fields(subjects)
        self.fields["open_case"].required = True
        self.fields["open_case"].choices = [
            choice for choice in self.fields["open_case"].choices if choice[0]
        ]

    def case_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "open_case": data["open_case"],
            "subject": data.get("case_subject") or None,
            "hazard_category": data.get("hazard_category") or "",
            "hazard_level": data.get("hazard_level") or "",
        }


class AdoptionForm(forms.Form):
    """A community takes up a kind of meeting from a date (with a monthly rule, each ended month from then
    without one is flagged)."""

    region = RegionCodeField(label=_("Community (code)"))
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=())
    since = forms.DateField(label=_("Since"), widget=_date_input())

    def __init__(self, *args, regions, **kwargs):
        kwargs.setdefault("auto_id", "id_adopt_%s")
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["kind"].choices = [("", "—"), *entry_choices(EntryType.MEETING_KIND)]


class AttendeeForm(forms.Form):
    """Someone added to a meeting's attendance: by category, with the grid post they hold (its holder's name
    by default) or the subject they came for."""

    category = forms.ChoiceField(label=_("Participant category"), choices=ParticipantCategory.choices)
    post = forms.ModelChoiceField(label=_("Post"), queryset=None, required=False)
    subject = OptionalSubjectCodeField(label=_("Subject they came for"), required=False)
    name = forms.CharField(label=_("Name (empty: the post's holder)"), max_length=100, required=False)
    present = forms.BooleanField(label=_("Present"), required=False, initial=True)

    def __init__(self, *args, posts, subjects, **kwargs):
        kwargs.setdefault("auto_id", "id_attendee_%s")
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts
        self.fields["post"].label_from_instance = lambda post: f"{post.region.name} · {post.holder_name}"
        self.fields["subject"].queryset = subjects

    def clean(self):
        data = super().clean()
        if not data.get("post") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Give the name, or choose the post they hold."))
        return data

    def attendee(self) -> AttendeeInput:
        data = self.cleaned_data
        return AttendeeInput(
            category=data["category"],
            name=data.get("name") or "",
            present=bool(data.get("present")),
            post=data.get("post"),
            subject=data.get("subject"),
        )
