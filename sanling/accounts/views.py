"""Login, logout, password change and, for administrators, the accounts of their county."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sanling.api.throttles import FailedLogins
from sanling.personal.fields import masked
from sanling.personal.forms import keep_if_masked
from sanling.regions.models import Region

from .forms import ApiTokenForm, UserForm
from .models import ApiToken, Profile
from .scope import get_object_for_user, request_scope
from .selectors import region_picker_rows
from .services import account_save, api_token_create, api_token_revoke


def _manageable_users(request: HttpRequest):
    """Accounts an administrator may see and edit (``Scope.users``); anyone else: 403."""
    scope = request_scope(request)
    if not scope.can_administer:
        raise PermissionDenied
    return scope.users()


@login_required
def users(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/user_list.html", {"users": _manageable_users(request)})


@login_required
def user_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = request_scope(request)
    editing = get_object_for_user(_manageable_users(request), pk=pk) if pk else None
    initial = {}
    if editing is not None:
        profile = Profile.objects.filter(user=editing).first()
        initial = {
            "username": editing.username,
            "full_name": editing.first_name,
            "is_active": editing.is_active,
            "role": profile.role if profile else "",
            "region": profile.region if profile else None,
            "department": profile.department if profile else None,
            "phone": masked(profile, "phone") if profile else "",  # personal data: shown masked
        }
    form = UserForm(
        request.POST or None,
        initial=initial,
        editing=editing,
        regions=scope.grantable_regions(),
        departments=scope.managed_departments(),
    )
    if request.method == "POST" and form.is_valid():
        stored_phone = (
            (Profile.objects.filter(user=editing).values_list("phone", flat=True).first() or "")
            if editing
            else ""
        )
        fields = form.cleaned_data | {
            "phone": keep_if_masked("profile", "phone", form.cleaned_data.get("phone", ""), stored_phone)
        }
        try:
            account_save(actor_scope=scope, user=editing, **fields)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The account is saved."))
            return redirect("accounts:users")
    return render(
        request,
        "accounts/user_form.html",
        {"form": form, "editing": editing, "chosen_region": _chosen_region(form)},
    )


def _chosen_region(form: UserForm) -> Region | None:
    """The region the form holds (as submitted, else as stored), for the picker to name it."""
    code = form["region"].value()
    if isinstance(code, Region):
        return code
    return form.fields["region"].queryset.filter(code=code).first() if code else None


@login_required
def region_search(request: HttpRequest) -> HttpResponse:
    """The account form's region picker (an htmx partial): regions of the administrator's subtree whose
    name or code contains ``q``, or the children of ``parent``, or the top of the subtree."""
    scope = request_scope(request)
    if not scope.can_administer:
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
