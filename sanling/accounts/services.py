"""Writes of accounts: a user, their role and scope in one step."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.departments.models import Department
from sanling.regions.models import Region

from .models import Profile, Role
from .scope import Scope


@transaction.atomic
def account_save(
    *,
    actor_scope: Scope,
    username: str,
    full_name: str,
    role: str,
    region: Region | None,
    department: Department | None,
    phone: str = "",
    password: str = "",
    is_active: bool = True,
    user=None,
):
    """Create (``user`` None) or update an account. An administrator can only grant scopes inside their own."""
    if not actor_scope.can_administer:
        raise PermissionDenied
    if region is not None and not actor_scope.covers_region(region):
        raise ValidationError({"region": _("You can only grant regions inside your own.")})
    # Department users work across the county (条); every other role needs a region inside the admin's own.
    if region is None and role != Role.DEPARTMENT_USER and not actor_scope.everything:
        raise ValidationError({"region": _("You can only grant regions inside your own.")})
    User = get_user_model()
    user = user or User(username=username)
    user.username = username
    user.first_name = full_name
    user.is_active = is_active
    if password:
        user.set_password(password)
    user.full_clean(exclude=["password"] if not password and user.pk else None)
    user.save()
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.role, profile.region, profile.department, profile.phone = role, region, department, phone
    profile.full_clean()
    profile.save()
    return user
