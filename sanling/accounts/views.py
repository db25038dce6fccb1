"""Login, logout, password change and the accounts of a county: their identity for the system
administrator, their role and scope for the security administrator (三权分立)."""

import base64

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from sanling.core.qr import qr_svg
from sanling.personal.fields import masked, personal_columns
from sanling.personal.forms import keep_if_masked
from sanling.regions.models import Region

from .forms import AccountForm, ApiTokenForm, GrantForm, LockoutAuthenticationForm, OtpCodeForm
from .lockout import lockout_clear, lockouts_for
from .models import ApiToken, Profile
from .policy import (
    CHANGE_PASSWORD,
    ENROL,
    PENDING_SESSION_KEY,
    VERIFY,
    has_second_factor,
    password_change_reason,
    pending_steps,
    requires_second_factor,
    step_done,
)
from .scope import get_object_for_user, request_scope
from .selectors import region_picker_rows
from .services import (
    account_create,
    account_grant,
    account_password_reset,
    account_update,
    api_token_create,
    api_token_revoke,
    otp_enrol_begin,
    otp_enrol_confirm,
    otp_remove,
    otp_verify,
    password_change_own,
    password_fingerprint,
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
    return render(
        request,
        "accounts/user_list.html",
        {
            # The list shows no phone: it reads and decrypts none.
            "users": _accounts(request, scope.can_see_accounts).defer(
                *personal_columns(Profile, "profile__")
            ),
        },
    )


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
            "phone": masked(profile, "phone") if profile else "",  # personal data: shown masked
        }
    form = AccountForm(request.POST or None, initial=initial, editing=editing)
    if request.method == "POST" and form.is_valid():
        try:
            if editing is None:
                account, password = account_create(actor_scope=scope, **form.cleaned_data)
            else:
                stored = Profile.objects.filter(user=editing).values_list("phone", flat=True).first() or ""
                phone = keep_if_masked("profile", "phone", form.cleaned_data.get("phone", ""), stored)
                account_update(actor_scope=scope, user=editing, **(form.cleaned_data | {"phone": phone}))
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
    """Django's login; a locked account or address (``accounts.lockout``) is answered 429."""

    template_name = "accounts/login.html"
    authentication_form = LockoutAuthenticationForm

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if getattr(request, "login_lockout", None) is not None:
            response.status_code = 429
        return response


@login_required
def lockouts(request: HttpRequest) -> HttpResponse:
    """The accounts and addresses locked now, for an administrator to lift one (POST ``target``)."""
    scope = request_scope(request)
    if not scope.can_manage_security:  # lifting lockouts is the security administrator's duty
        raise PermissionDenied
    visible = lockouts_for(scope)
    if request.method == "POST":
        target = request.POST.get("target", "")[:150]
        if lockout_clear(target=target, among=visible):
            messages.success(request, _("“%(target)s” is unlocked.") % {"target": target})
        return redirect("accounts:lockouts")
    return render(
        request,
        "accounts/lockout_list.html",
        {
            "lockouts": visible.order_by("-started_at"),
            "lockout_minutes": settings.LOGIN_LOCKOUT_MINUTES,
        },
    )


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
        {"tokens": _tokens_shown(request.user), "form": form, "new_key": new_key},
    )
    if new_key:
        response["Cache-Control"] = "no-store"  # the key must not linger in a browser or proxy cache
    return response


def _tokens_shown(user) -> list[ApiToken]:
    """The user's tokens, each marked ``ended`` when a password change has ended it (``api_token_lookup``)."""
    fingerprint = password_fingerprint(user)
    shown = list(ApiToken.objects.filter(user=user))
    for token in shown:
        token.ended_by_password = token.revoked_at is None and token.password_fingerprint != fingerprint
    return shown


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


# --- Password change and the second factor (issue 14: 身份鉴别) ---


def _next_url(request: HttpRequest, default: str = "/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password change: the page every forced change (after an administrator set the
    password, or when it is older than the maximum age) leads to."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_done")

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "reason": password_change_reason(self.request.user),
            "next": _next_url(self.request, ""),
        }

    def form_valid(self, form):
        password_change_own(user=form.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(self.request, form.user)
        step_done(self.request, CHANGE_PASSWORD)
        target = _next_url(self.request, "")
        return redirect(target) if target else redirect(self.get_success_url())


@login_required
def otp_verify_view(request: HttpRequest) -> HttpResponse:
    """After the password, the code of the user's authenticator (or a recovery code)."""
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp_verify(user=request.user, code=form.cleaned_data["code"])
        if device is not None:
            django_otp.login(request, device)
            step_done(request, VERIFY)
            return redirect(_next_url(request))
        form.add_error("code", _("The code is wrong or has expired."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": _next_url(request, "")})


@login_required
def otp_enrol_view(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), confirm with a code; the recovery
    codes are shown once. An enrolled user sees that it is on and may remove it with a code."""
    if has_second_factor(request.user):
        return render(
            request,
            "accounts/otp_status.html",
            {"form": OtpCodeForm(), "required": requires_second_factor(request.user)},
        )
    device = otp_enrol_begin(user=request.user)
    form = OtpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = otp_enrol_confirm(user=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.message_dict["code"])
        else:
            django_otp.login(request, device)
            step_done(request, VERIFY)
            step_done(request, ENROL)
            response = render(
                request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": _next_url(request)}
            )
            response["Cache-Control"] = "no-store"
            return response
    response = render(
        request,
        "accounts/otp_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "key": base64.b32encode(device.bin_key).decode(),
            "required": requires_second_factor(request.user),
            "next": _next_url(request, ""),
        },
    )
    response["Cache-Control"] = "no-store"  # the secret key must not stay in a cache
    return response


def _qr_svg(data: str) -> str:
    # Drawn at a fixed size that phones read easily; the SVG holds only a path (no script, no text).
    return qr_svg(data, size=220)


@login_required
def otp_remove_view(request: HttpRequest) -> HttpResponse:
    """Remove the authenticator (POST, with a current code or a recovery code)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = OtpCodeForm(request.POST)
    if form.is_valid() and otp_verify(user=request.user, code=form.cleaned_data["code"]) is not None:
        otp_remove(user=request.user)
        request.session[PENDING_SESSION_KEY] = pending_steps(request.user)
        messages.success(request, _("Two-step verification is off."))
        return redirect("accounts:otp_enrol")
    form.add_error("code", _("The code is wrong or has expired."))
    return render(
        request,
        "accounts/otp_status.html",
        {"form": form, "required": requires_second_factor(request.user)},
        status=400,
    )
