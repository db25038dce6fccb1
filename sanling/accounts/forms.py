import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.departments.models import Department
from sanling.regions.models import Region

from .models import Role


class AccountForm(forms.Form):
    """Create or edit an account's identity (the system administrator's duty): no role, no scope and no
    password, which is issued as a one-time password and changed by its owner."""

    username = forms.CharField(label=_("Login name"), max_length=150)
    full_name = forms.CharField(label=_("Name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=24, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args, editing=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing

    def clean_username(self):
        username = self.cleaned_data["username"]
        others = get_user_model().objects.filter(username=username)
        if self.editing is not None:
            others = others.exclude(pk=self.editing.pk)
        if others.exists():
            raise forms.ValidationError(_("This login name is taken."))
        return username


class GrantForm(forms.Form):
    """Grant an account its role and scope (the security administrator's duty); the choices are limited to
    the granter's own scope."""

    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    # A county has over a thousand regions: the form takes a code, which the page's picker fills in
    # (searching by name or code, or opening the tree level by level) and a person can also type.
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        to_field_name="code",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-region-code": ""}),
        error_messages={"invalid_choice": _("There is no region with this code inside your area.")},
    )
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False, to_field_name="code"
    )

    def __init__(self, *args, regions, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["department"].queryset = departments


class ApiTokenForm(forms.Form):
    EXPIRY_CHOICES = [("30", _("30 days")), ("90", _("90 days")), ("365", _("one year")), ("", _("never"))]

    name = forms.CharField(
        label=pgettext_lazy("a thing's name", "Name"),
        max_length=80,
        help_text=_("Which system uses it, e.g. 12345 hotline"),
    )
    expires_in = forms.ChoiceField(label=_("Valid for"), choices=EXPIRY_CHOICES, initial="90", required=False)

    def token_fields(self) -> dict:
        days = self.cleaned_data["expires_in"]
        expires_at = timezone.now() + datetime.timedelta(days=int(days)) if days else None
        return {"name": self.cleaned_data["name"], "expires_at": expires_at}
