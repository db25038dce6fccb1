"""Login, logout, password change and the accounts of a county: their identity for the system
administrator, their role and scope for the security administrator (三权分立)."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanling.api.throttles import FailedLogins
from sanling.regions.models import Region

from .forms import AccountForm, ApiTokenForm, GrantForm
from .models import ApiToken, Profile
from .scope import get_object_for_user, request_scope
from .selectors import region_picker_rows
from .services import (
    account_create,
    account_grant,
    account_password_reset,
    account_update,
    api_token_create,
    api_token_revoke,
)


def _accounts(request: HttpRequest, allowed: bool):
    """Accounts the user may see (``Scope.users``) if ``allowed`` (their duty's predicate); else 403, for
    a GET as for a POST."""
    if not allowed:
        raise PermissionDenied
    return request_scope(request).users()


def _apply(form, error: ValidationError) -> None:
    for field, field_errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_errors)


def _one_time_password_page(request: HttpRequest, account, password: str, created: bool) -> HttpResponse:
    """The one-time password, shown this once; the page must not linger in a browser or proxy cache."""
    response = render(
        request,
        "accounts/one_time_password.html",
        {"account": account, "password": password, "created": created},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def users(request: HttpRequest) -> HttpResponse:
    scope = request_scope(request)
    return render(request, "accounts/user_list.html", {"users": _accounts(request, scope.can_see_accounts)})


@login_required
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create an account or change its name, phone and state: the system administrator's page."""
    scope = request_scope(request)
    accounts = _accounts(request, scope.can_manage_accounts)  # the empty form too: 403 to anyone else
    editing = get_object_for_user(accounts, pk=pk) if pk else None
    initial = {}
    if editing is not None:
        profile = Profile.objects.filter(user=editing).first()
        initial = {
            "username": editing.username,
            "full_name": editing.first_name,
            "is_active": editing.is_active,
            "phone": profile.phone if profile else "",
        }
    form = AccountForm(request.POST or None, initial=initial, editing=editing)
    if request.method == "POST" and form.is_valid():
        try:
            if editing is None:
                account, password = account_create(actor_scope=scope, **form.cleaned_data)
            else:
                account_update(actor_scope=scope, user=editing, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            if editing is None:
                return _one_time_password_page(request, account, password, created=True)
            messages.success(request, _("The account is saved."))
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "editing": editing})


@login_required
def user_password_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST replaces the password with a one-time password shown once."""
    scope = request_scope(request)
    account = get_object_for_user(_accounts(request, scope.can_manage_accounts), pk=pk)
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    if request.method == "GET":
        return render(request, "accounts/password_reset_confirm.html", {"account": account})
    password = account_password_reset(actor_scope=scope, user=account)
    return _one_time_password_page(request, account, password, created=False)


@login_required
def user_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """An account's role, region and department: the security administrator's page."""
    scope = request_scope(request)
    account = get_object_for_user(_accounts(request, scope.can_manage_security), pk=pk)
    profile = Profile.objects.filter(user=account).first()
    initial = {}
    if profile is not None and profile.role:
        initial = {"role": profile.role, "region": profile.region, "department": profile.department}
    form = GrantForm(
        request.POST or None,
        initial=initial,
        regions=scope.grantable_regions(),
        departments=scope.managed_departments(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_grant(actor_scope=scope, user=account, **form.cleaned_data)
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("The role and scope are saved."))
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_grant.html",
        {"form": form, "account": account, "chosen_region": _chosen_region(form)},
    )


def _chosen_region(form: GrantForm) -> Region | None:
    """The region the form holds (as submitted, else as stored), for the picker to name it."""
    code = form["region"].value()
    if isinstance(code, Region):
        return code
    return form.fields["region"].queryset.filter(code=code).first() if code else None


@login_required
def region_search(request: HttpRequest) -> HttpResponse:
    """The grant form's region picker (an htmx partial): regions of the security administrator's subtree
    whose name or code contains ``q``, or the children of ``parent``, or the top of the subtree."""
    scope = request_scope(request)
    if not scope.can_manage_security:
        raise PermissionDenied
    query = request.GET.get("q", "").strip()[:40]
    parent = None
    if not query and request.GET.get("parent"):
        parent = get_object_for_user(scope.grantable_regions(), code=request.GET["parent"])
    rows, more = region_picker_rows(scope, query=query, parent=parent)
    return render(
        request,
        "accounts/region_picker_rows.html",
        {"rows": rows, "more": more, "query": query, "parent": parent},
    )


class LoginView(auth_views.LoginView):
    """Django's login, refusing (429) an address after too many failed attempts within the window of
    ``SANLING_LOGIN_RATE``."""

    template_name = "accounts/login.html"

    def post(self, request, *args, **kwargs):
        failures = FailedLogins(request)
        if failures.exceeded:
            return render(
                request,
                self.template_name,
                {"form": self.get_form(), "too_many": True},
                status=429,
            )
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:  # the form came back with an error
            failures.record()
        return response


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (its key is shown once), see when each was used, revoke."""
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(user=request.user, **form.token_fields())
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/tokens.html",
        {"tokens": ApiToken.objects.filter(user=request.user), "form": form, "new_key": new_key},
    )
    if new_key:
        response["Cache-Control"] = "no-store"  # the key must not linger in a browser or proxy cache
    return response


@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm (a revoked token cannot be restored, and the system using it stops at once);
    POST revokes."""
    token = get_object_for_user(ApiToken.objects.filter(user=request.user), pk=pk)  # another's: 404
    if request.method not in {"GET", "POST"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    if token.revoked_at is not None:
        return redirect("accounts:tokens")
    if request.method == "GET":
        return render(request, "accounts/token_revoke.html", {"token": token})
    api_token_revoke(token=token)
    messages.success(request, _("Token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:tokens")
