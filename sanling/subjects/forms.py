"""The subject screens' forms: create, edit, move (迁移) and retire (退出), each limited to the user's scope.

The region is typed as its code or name; the box suggests the user's towns, villages and grids as they type
(``subjects:regions``), so a province's thousand regions never land in one ``<select>``.
"""

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import scope_for
from sanling.personal.forms import MaskedFieldsMixin
from sanling.regions.models import Level, Region

from .models import PLACE_FIELDS, SUBJECT_FIELDS, Kind, Subject, group_of
from .services import village_node_error

# The levels a subject can stand at: villages and communities at their village node, units at a town,
# village or grid node.
SUBJECT_LEVELS = (Level.TOWN, Level.VILLAGE, Level.GRID, Level.BUILDING)


class RegionField(forms.CharField):
    """A region typed as its code, or as a name only one region of the user's area bears."""

    def __init__(self, *, queryset: QuerySet[Region] | None = None, **kwargs):
        kwargs.setdefault("label", _("Region"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={
                    "list": "region-options",
                    "autocomplete": "off",
                    "placeholder": _("Code or name"),
                    "hx-get": reverse_lazy("subjects:regions"),
                    "hx-trigger": "input changed delay:300ms",
                    "hx-target": "#region-options",
                }
            ),
        )
        super().__init__(**kwargs)
        self.queryset = queryset

    def prepare_value(self, value):
        if isinstance(value, Region):
            return value.code
        if isinstance(value, int):  # a model form's initial value is the region's id
            return Region.objects.filter(pk=value).values_list("code", flat=True).first()
        return value

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return None
        region = self.queryset.filter(code=text).first()
        if region is None:
            named = list(self.queryset.filter(name=text)[:2])
            region = named[0] if len(named) == 1 else None
        if region is None:
            raise forms.ValidationError(
                _("No region with code “%(code)s” in your area."), params={"code": text}
            )
        return region


class SubjectFormMixin:
    """Date boxes the phone's date picker understands, and the values a service takes."""

    extra_fields: tuple[str, ...] = ()  # fields beyond the model's that the service takes (a move's date)

    def _dates_as_pickers(self) -> None:
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"
                field.widget.format = "%Y-%m-%d"  # what <input type=date> expects, whatever the locale

    def changes(self) -> dict:
        """The cleaned values of the form's model fields, for the service."""
        fields = [*self._meta.fields, *self.extra_fields]
        return {name: self.cleaned_data[name] for name in fields if name in self.cleaned_data}


class PlaceFormMixin:
    """A region of the user's area and one of the user's departments, in a place the user's scope covers."""

    def _scope_place(self, user) -> None:
        self.scope = scope = scope_for(user)
        self.fields["region"] = RegionField(queryset=scope.regions())
        department = forms.ModelChoiceField(
            label=_("Department"),
            queryset=scope.departments().order_by("code"),
            to_field_name="code",
            required=False,
            help_text=_("Supervising department (enterprises and institutions)"),
        )
        self.fields["department"] = department
        if self.instance.pk:  # the current place, by code as the boxes take it
            self.initial["region"] = self.instance.region.code
            self.initial["department"] = getattr(self.instance.department, "code", None)
        elif self.scope.department is not None:
            self.initial["department"] = self.scope.department.code

    def _check_place(self, cleaned: dict) -> None:
        region, department = cleaned.get("region"), cleaned.get("department")
        if region is None:
            return
        if not self.scope.covers_place(region, department):
            field = "department" if self.scope.department is not None else "region"
            self.add_error(field, _("The subject would lie outside the part of the county you work on."))
            return
        # An error on the region here also spares the user the model constraint's bare name.
        placed = Subject(pk=self.instance.pk, kind=cleaned.get("kind") or self.instance.kind, region=region)
        if taken := village_node_error(placed):
            self.add_error("region", taken)


class SubjectCreateForm(PlaceFormMixin, SubjectFormMixin, forms.ModelForm):
    """A new subject, placed in the user's area (a department user: a unit of its department)."""

    class Meta:
        model = Subject
        fields = [name for name in SUBJECT_FIELDS if name != "retired_on"]  # one retires on its own page
        widgets = {"joined_on": forms.DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_place(user)
        self.order_fields(self._meta.fields)
        self._dates_as_pickers()

    def clean(self):
        cleaned = super().clean()
        self._check_place(cleaned)
        return cleaned


class SubjectEditForm(MaskedFieldsMixin, SubjectFormMixin, forms.ModelForm):
    """What describes a subject. Its place changes by a move and its end by a retirement, each with a date."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Subject
        fields = [name for name in SUBJECT_FIELDS if name not in {"code", *PLACE_FIELDS, "retired_on"}]
        widgets = {"joined_on": forms.DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version
        # A village stays a village or becomes a community (村改居); a unit stays a unit.
        group = group_of(self.instance.kind)
        self.fields["kind"].choices = [
            (value, label) for value, label in Kind.choices if group_of(value) == group
        ]
        self._dates_as_pickers()
        self.mask_initial()  # contact name and phone shown masked; a mask left as it is keeps the value


class SubjectMoveForm(PlaceFormMixin, SubjectFormMixin, forms.ModelForm):
    """A move to another region or department as of a date; the periods before it keep the old place."""

    moved_on = forms.DateField(label=_("Moved on"), widget=forms.DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    extra_fields = ("moved_on",)

    class Meta:
        model = Subject
        fields = ["region", "department"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._scope_place(user)
        self.fields["region"].label = _("New region")
        self.fields["department"].label = _("New department")
        self.fields["moved_on"].initial = timezone.localdate()
        self.fields["version"].initial = self.instance.version
        self.order_fields(["region", "department", "moved_on"])
        self._dates_as_pickers()

    def clean(self):
        cleaned = super().clean()
        self._check_place(cleaned)
        return cleaned


class SubjectRetireForm(SubjectFormMixin, forms.ModelForm):
    """The day a subject leaves the campaign (退出): it counts in no period after it."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Subject
        fields = ["retired_on"]
        widgets = {"retired_on": forms.DateInput()}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retired_on"].required = True
        self.fields["retired_on"].initial = self.instance.retired_on or timezone.localdate()
        self.fields["version"].initial = self.instance.version
        self._dates_as_pickers()
