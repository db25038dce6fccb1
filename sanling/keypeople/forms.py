"""The key-person form (identities start masked on an edit: a mask sent back unchanged keeps the stored
value) and the one-handed visit form."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.accounts.models import WRITING_ROLES
from sanling.accounts.scope import Scope
from sanling.personal.fields import masked
from sanling.personal.forms import keep_if_masked
from sanling.regions.models import Region, subtree_q

from .filters import category_choices
from .models import PERSON_LEVELS, KeyPerson, RiskLevel, normalize_id_number

IDENTITY = ("name", "id_number", "phone", "address")


class RegionChoice(forms.ModelChoiceField):
    def label_from_instance(self, region: Region) -> str:
        return f"{region.name}（{region.code}）"


class PostChoice(forms.ModelChoiceField):
    """A post named by its place, its type's label (one lookup of the dictionary per form, not an attribute
    set on rows the field re-queries) and its holder."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._labels: dict[str, str] | None = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._labels = None
        return result

    def type_label(self, code: str) -> str:
        if self._labels is None:
            from sanling.grids.selectors import post_type_labels

            self._labels = post_type_labels()
        return self._labels.get(code, code)

    def label_from_instance(self, post) -> str:
        return f"{post.region.name} · {self.type_label(post.post_type)} · {post.holder_name}"


def posts(scope: Scope):
    from sanling.grids.models import Post
    from sanling.grids.selectors import active_q

    rows = (
        Post.objects.filter(active_q(timezone.localdate()))
        .select_related("region")
        .order_by("region__path", "post_type")
    )
    if not scope.everything:
        rows = (
            rows.filter(subtree_q(scope.region.path, via="region__"))
            if scope.region is not None
            else rows.none()
        )
    return rows


class HandlerChoice(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.get_username()


def places(scope: Scope):
    regions = Region.objects.filter(level__in=PERSON_LEVELS).order_by("path")
    if scope.everything:
        return regions
    if scope.region is None or not scope.sees_business_data:
        return regions.none()
    return regions.filter(subtree_q(scope.region.path))


def workers(scope: Scope):
    users = (
        get_user_model().objects.filter(is_active=True, profile__role__in=WRITING_ROLES).order_by("username")
    )
    if scope.everything:
        return users
    if scope.region is None:
        return users.none()
    return users.filter(subtree_q(scope.region.path, via="profile__region__"))


class KeyPersonForm(forms.Form):
    region = RegionChoice(
        label=pgettext_lazy("key people", "Village or grid"),
        queryset=Region.objects.none(),
        to_field_name="code",
    )
    category = forms.ChoiceField(label=_("Category"), choices=())
    risk_level = forms.ChoiceField(
        label=pgettext_lazy("key people", "Risk level"), choices=RiskLevel.choices, initial=RiskLevel.MEDIUM
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    address = forms.CharField(label=pgettext_lazy("key people", "Address"), max_length=120, required=False)
    post = PostChoice(label=pgettext_lazy("key people", "Responsible post"), queryset=None, required=False)
    handler = HandlerChoice(
        label=pgettext_lazy("key people", "Responsible worker"),
        queryset=get_user_model().objects.none(),
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, scope: Scope, person: KeyPerson | None = None, **kwargs):
        self.person = person
        if person is not None and not args and "data" not in kwargs:
            kwargs.setdefault(
                "initial",
                {
                    "region": person.region.code,
                    "category": person.category,
                    "risk_level": person.risk_level,
                    "post": person.post_id,
                    "handler": person.handler_id,
                    "note": person.note,
                    "version": person.version,
                    **{name: masked(person, name) for name in IDENTITY},
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = places(scope)
        self.fields["handler"].queryset = workers(scope)
        self.fields["post"].queryset = posts(scope)
        self.fields["post"].help_text = _("Its login, if any, works the visits unless a worker is chosen.")
        self.fields["category"].choices = [("", "—"), *category_choices()]
        if person is not None and person.category not in dict(self.fields["category"].choices):
            self.fields["category"].choices.append((person.category, person.category))
        for name in IDENTITY:
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("id_number") or "")

    def clean(self):
        cleaned = super().clean()
        if self.person is not None:  # a mask left as it was keeps the stored value
            for name in IDENTITY:
                if name in cleaned:
                    cleaned[name] = keep_if_masked(
                        "keyperson", name, cleaned[name], getattr(self.person, name) or ""
                    )
        return cleaned


class PhotoInput(forms.ClearableFileInput):
    """The phone's camera, straight away."""

    def __init__(self):
        super().__init__(attrs={"accept": "image/*", "capture": "environment"})


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label=pgettext_lazy("key people", "Visited on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    face_to_face = forms.TypedChoiceField(
        label=pgettext_lazy("key people", "Face to face"),
        choices=[("yes", _("Yes, seen in person")), ("no", _("No (phone, family, neighbours)"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "big-choice"}),
        initial="yes",
    )
    place = forms.CharField(label=pgettext_lazy("key people", "Place"), max_length=100, required=False)
    findings = forms.CharField(
        label=pgettext_lazy("key people", "Findings"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(label=pgettext_lazy("key people", "Photo"), required=False, widget=PhotoInput())

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"visited_on": timezone.localdate(), "face_to_face": "yes"})
        super().__init__(*args, **kwargs)


class ReleaseForm(forms.Form):
    on = forms.DateField(
        label=pgettext_lazy("key people", "Released on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(label=pgettext_lazy("key people", "Reason for release"), max_length=200)
