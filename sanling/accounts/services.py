"""Writes of accounts: a user, their role and scope in one step; their API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.departments.models import Department
from sanling.regions.models import Region

from .events import auth_event
from .models import ApiToken, Profile, Role, SecurityState
from .scope import Scope
from .validators import PasswordHistoryValidator


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
    """Create (``user`` None) or update an account. An administrator can only grant scopes inside their own.

    A password set here must pass the password rules and is the administrator's, not the user's: the user
    has to change it at their next login (``SecurityState.must_change_password``)."""
    if not actor_scope.can_administer:
        raise PermissionDenied
    if region is not None and not actor_scope.covers_region(region):
        raise ValidationError({"region": _("You can only grant regions inside your own.")})
    # Department users work across the county (条); every other role needs a region inside the admin's own.
    if region is None and role != Role.DEPARTMENT_USER:
        role_name = dict(Role.choices).get(role, role)
        raise ValidationError(
            {"region": _("A %(role)s account needs a region: where the person works.") % {"role": role_name}}
        )
    if department is not None and not actor_scope.managed_departments().filter(pk=department.pk).exists():
        raise ValidationError({"department": _("You can only grant the departments of your county.")})
    User = get_user_model()
    user = user or User(username=username)
    before = account_snapshot(user) if user.pk else None
    user.username = username
    user.first_name = full_name
    user.is_active = is_active
    if password:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        PasswordHistoryValidator.remember_current(user)
        user.set_password(password)
    user.full_clean(exclude=["password"] if not password and user.pk else None)
    user.save()
    if before is not None and before["is_active"] and not is_active:
        api_tokens_revoke_all(user=user, note="账号停用")
    if password:
        password_change_demand(user=user)
    profile = Profile.objects.filter(user=user).first() or Profile(user=user)
    profile.role, profile.region, profile.department, profile.phone = role, region, department, phone
    profile.full_clean()
    profile.save()
    audit_change(
        Action.CREATE if before is None else Action.UPDATE,
        before=before,
        # A new password shows as a changed field, never its value.
        after=account_snapshot(user) | ({"password": "******"} if password else {}),
        instance=profile,
    )
    return user


def account_snapshot(user) -> dict:
    """What the audit trail records of an account: name, state, role and scope (never the password)."""
    profile = Profile.objects.filter(user=user).first()
    return {
        "full_name": user.first_name,
        "is_active": user.is_active,
        **(snapshot(profile) if profile else {}),
    }


def password_fingerprint(user) -> str:
    """A digest of ``user``'s password hash: a token remembers it, and a new password (any way it is set)
    changes it, which ends the token (``api_token_lookup``)."""
    return hashlib.sha256(f"sanling-token:{user.password}".encode()).hexdigest()


def token_hash(key: str) -> str:
    # Keys carry 192 random bits, so a plain SHA-256 is as good as a slow password hash here.
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user, name: str, expires_at: datetime.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with its key, which is shown this once and never stored.

    Every token expires: by ``expires_at``, at most ``API_TOKEN_MAX_DAYS`` ahead (the longest when None)."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the system that will use it.")})
    now = timezone.now()
    longest = now + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
    if expires_at is None:
        expires_at = longest
    if expires_at <= now:
        raise ValidationError({"expires_at": _("The expiry must lie in the future.")})
    if expires_at > longest:
        raise ValidationError(
            {
                "expires_at": _("A token can be valid for at most %(days)s days.")
                % {"days": settings.API_TOKEN_MAX_DAYS}
            }
        )
    prefix = secrets.token_hex(4)
    key = f"sl_{prefix}_{secrets.token_urlsafe(24)}"
    token = ApiToken.objects.create(
        user=user,
        name=name[:80],
        prefix=prefix,
        key_hash=token_hash(key),
        expires_at=expires_at,
        password_fingerprint=password_fingerprint(user),
    )
    audit_change(Action.CREATE, after=token, instance=token, verb="token.created")
    return token, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken, note: str = "") -> ApiToken:
    """Revoke a token at once (never rate-limited); revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_change(Action.UPDATE, before=before, after=token, verb="token.revoked", note=note)
    return token


@transaction.atomic
def api_tokens_revoke_all(*, user, note: str) -> int:
    """Revoke every live token of ``user`` (a disabled account's tokens die for good)."""
    live = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    for token in live:
        api_token_revoke(token=token, note=note)
    return len(live)


def password_change_demand(*, user) -> None:
    """Make ``user`` change their password at their next login: it was set by someone else."""
    SecurityState.objects.update_or_create(user=user, defaults={"must_change_password": True})


def password_policy_exempt(*, user) -> None:
    """Exempt ``user`` from forced and periodic password changes (the demo's accounts, whose password is
    public anyway and which must keep working with it)."""
    SecurityState.objects.update_or_create(
        user=user, defaults={"must_change_password": False, "policy_exempt": True}
    )


@transaction.atomic
def password_change_own(*, user, password: str) -> None:
    """The user's own new password (already validated by the form): it is theirs, so no change is demanded
    any more (``PasswordHistoryValidator.password_changed`` clears the demand when the user is saved)."""
    PasswordHistoryValidator.remember_current(user)
    user.set_password(password)
    user.save()
    auth_event("password.changed", user=user)


RECOVERY_CODE_COUNT = 10


def otp_enrol_begin(*, user):
    """The authenticator ``user`` is enrolling: a new secret key, not yet confirmed (nothing changes for
    the user until a code from it is confirmed). Reused until then, so reloading the page keeps the key."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)


@transaction.atomic
def otp_enrol_confirm(*, user, device, code: str) -> list[str]:
    """Confirm ``device`` with a code from the authenticator; returns a new set of recovery codes (shown
    once: only they are stored). Any other authenticator of the user is replaced."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if device.user_id != user.pk or device.confirmed or not device.verify_token(code.strip()):
        raise ValidationError({"code": _("The code is wrong or has expired. Enter the code shown now.")})
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=user).delete()
    recovery = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=recovery, token=code) for code in codes)
    auth_event("otp.enrolled", user=user)
    return codes


def otp_verify(*, user, code: str):
    """The device of ``user`` that accepts ``code`` (a code of the authenticator, or one of the recovery
    codes, which is used up), or None. Each device counts its failures and makes the next try wait longer
    (django-otp's throttling)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    code = "".join(code.split()).lower()[:16]
    if not code:
        return None
    # Authenticator codes are six digits, recovery codes eight letters and digits: each goes to its own
    # device, so a recovery code is no failure of the authenticator's (which would slow its next code).
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user=user, confirmed=True):
            if device.verify_token(code):
                if model is StaticDevice:
                    auth_event("otp.recovery_code_used", user=user)
                return device
    return None


@transaction.atomic
def otp_remove(*, user) -> None:
    """Remove the user's authenticator and recovery codes."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    if removed:
        auth_event("otp.removed", user=user)
