import datetime

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.departments.models import Department
from sanling.regions.models import Region

from .lockout import locked_message
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
    """A token's name and lifetime: 30 or 90 days, or the longest a county allows (``API_TOKEN_MAX_DAYS``)."""

    name = forms.CharField(
        label=pgettext_lazy("a thing's name", "Name"),
        max_length=80,
        help_text=_("Which system uses it, e.g. 12345 hotline"),
    )
    expires_in = forms.ChoiceField(label=_("Valid for"), initial="90")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        longest = settings.API_TOKEN_MAX_DAYS
        choices = [(str(days), _("%(days)s days") % {"days": days}) for days in (30, 90) if days < longest]
        self.fields["expires_in"].choices = [
            *choices,
            (str(longest), _("%(days)s days (the longest allowed)") % {"days": longest}),
        ]

    def token_fields(self) -> dict:
        days = int(self.cleaned_data["expires_in"])
        return {
            "name": self.cleaned_data["name"],
            "expires_at": timezone.now() + datetime.timedelta(days=days),
        }


class LockoutMessageMixin:
    """A login form that says so when the account or address is locked (``accounts.lockout``): the same
    words whether the password was right or not."""

    def get_invalid_login_error(self):
        if getattr(self.request, "login_lockout", None) is not None:
            return ValidationError(locked_message(), code="locked")
        return super().get_invalid_login_error()


class LockoutAuthenticationForm(LockoutMessageMixin, AuthenticationForm):
    """The web login's form."""


class LockoutAdminAuthenticationForm(LockoutMessageMixin, AdminAuthenticationForm):
    """The Django admin's login form."""


class OtpCodeForm(forms.Form):
    code = forms.CharField(
        label=pgettext_lazy("one-time code", "Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=_("The six digits your authenticator app shows, or one of your recovery codes."),
    )
