"""Login, logout, password change and, for administrators, the accounts of their county."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import UserForm
from .models import Profile
from .scope import departments_for, get_object_for_user, regions_for, request_scope
from .services import account_save


def _manageable_users(request: HttpRequest):
    """Accounts an administrator may see and edit: those whose region lies in their subtree."""
    scope = request_scope(request)
    if not scope.can_administer:
        raise PermissionDenied
    users = (
        get_user_model().objects.select_related("profile__region", "profile__department").order_by("username")
    )
    if scope.everything:
        return users
    return users.filter(profile__region__path__startswith=scope.region.path)


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
            "phone": profile.phone if profile else "",
        }
    form = UserForm(
        request.POST or None,
        initial=initial,
        editing=editing,
        regions=regions_for(request.user),
        departments=departments_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            account_save(actor_scope=scope, user=editing, **form.cleaned_data)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
        else:
            messages.success(request, _("The account is saved."))
            return redirect("accounts:users")
    return render(request, "accounts/user_form.html", {"form": form, "editing": editing})
