"""Writes of accounts: a user, their role and scope in one step; their API tokens."""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.validators import validate_phone
from sanling.departments.models import Department
from sanling.regions.models import Region

from .events import auth_event
from .lockout import login_success_record
from .models import ApiToken, Profile, Role, SecurityState
from .scope import Scope
from .validators import PasswordHistoryValidator


class AccountRefused(ValidationError):
    """A write of accounts that the separation of duties forbids, in words the person can act on."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _managed_account(actor_scope: Scope, user):
    """``user`` if the actor may manage it: never their own account (no one changes their own rights or
    resets their own password here), never the superuser (the break-glass account is the operator's, at
    the shell), and otherwise only inside the actor's scope (``Scope.users``)."""
    if user.pk == actor_scope.user_id:
        raise AccountRefused(_("You cannot manage your own account: ask another administrator."))
    if user.is_superuser:
        raise AccountRefused(
            _("The superuser is a break-glass account: it holds no role and is managed by the operator.")
        )
    if not actor_scope.users().filter(pk=user.pk).exists():
        raise PermissionDenied
    return user


def _check_phone(phone: str) -> None:
    """An account's phone, when given, is a phone number (as a subject's contact phone is)."""
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as error:
            raise ValidationError({"phone": error.messages}) from None


ONE_TIME_ALPHABETS = (
    "ABCDEFGHJKLMNPQRSTUVWXYZ",  # no I or O: read aloud or copied from a screen, they pass for 1 and 0
    "abcdefghijkmnpqrstuvwxyz",
    "23456789",
    "!#%+=?@",
)


def one_time_password(length: int = 16) -> str:
    """A random password of every kind of character (so any complexity rule accepts it), for an account
    to log in with once and then change. 16 characters of ~60 kinds: about 94 bits."""
    chars = [secrets.choice(alphabet) for alphabet in ONE_TIME_ALPHABETS]
    everything = "".join(ONE_TIME_ALPHABETS)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


def password_change_require(*, user) -> None:
    """Make ``user`` change their password at their next login: after an administrator issued them a
    one-time password, which the administrator has seen. Every caller that issues a password someone else
    knows calls this (after saving the user: saving a new password clears the demand)."""
    SecurityState.objects.update_or_create(user=user, defaults={"must_change_password": True})


@transaction.atomic
def account_create(
    *, actor_scope: Scope, username: str, full_name: str, phone: str = "", is_active: bool = True
) -> tuple:
    """A new account with no role (it sees nothing until the security administrator grants one) and a
    one-time password, returned with it to be shown once; the account must change it at first login.
    The system administrator's duty: they choose no password and grant no scope."""
    _require(actor_scope.can_manage_accounts)
    _check_phone(phone)
    User = get_user_model()
    user = User(username=username, first_name=full_name, is_active=is_active)
    password = one_time_password()
    user.set_password(password)
    user.full_clean()
    user.save()
    # The account waits on the creator's accounts list (its region) for a role.
    profile = Profile(user=user, role="", region=actor_scope.region, phone=phone)
    profile.full_clean()
    profile.save()
    password_change_require(user=user)
    audit_change(
        Action.CREATE,
        after=account_snapshot(user) | {"password": "******"},  # a password was set, never its value
        instance=profile,
        verb="account.created",
    )
    return user, password


@transaction.atomic
def account_update(
    *, actor_scope: Scope, user, username: str, full_name: str, phone: str = "", is_active: bool = True
):
    """Rename, re-number or disable (``is_active``) an account: the system administrator's duty."""
    _require(actor_scope.can_manage_accounts)
    _managed_account(actor_scope, user)
    _check_phone(phone)
    before = account_snapshot(user)
    user.username, user.first_name, user.is_active = username, full_name, is_active
    user.full_clean(exclude=["password"])
    user.save()
    profile = Profile.objects.filter(user=user).first() or Profile(
        user=user, role="", region=actor_scope.region
    )
    profile.phone = phone
    profile.full_clean()
    profile.save()
    disabled = before["is_active"] and not is_active
    if disabled:
        api_tokens_revoke_all(user=user, note="账号停用")  # re-enabling the account does not revive them
    audit_change(
        Action.UPDATE,
        before=before,
        after=account_snapshot(user),
        instance=profile,
        verb="account.disabled" if disabled else "",
    )
    return user


@transaction.atomic
def account_password_reset(*, actor_scope: Scope, user) -> str:
    """Replace ``user``'s password with a one-time password, returned to be shown once, which they must
    change at their next login. No administrator chooses another's password, so none knows it for long:
    the first login changes it, and the owner finds their account changed if someone used it first."""
    _require(actor_scope.can_manage_accounts)
    _managed_account(actor_scope, user)
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    password_change_require(user=user)
    profile = Profile.objects.filter(user=user).first()
    audit_change(
        Action.UPDATE,
        before={"password": "******"},
        after={"password": "****** (one-time)"},
        instance=profile or user,
        verb="account.password_reset",
    )
    return password


@transaction.atomic
def account_grant(
    *, actor_scope: Scope, user, role: str, region: Region | None, department: Department | None
) -> Profile:
    """Give an account its role and scope: the security administrator's duty. Never to their own account,
    never a region outside their own subtree, never a department with a unit outside it; a department
    user granted by anyone but the superuser is kept inside the granter's region (a department user with
    no region would see every region of the deployment)."""
    _require(actor_scope.can_manage_security)
    _managed_account(actor_scope, user)
    if role not in Role.values:
        raise AccountRefused({"role": _("Choose a role.")})
    if role == Role.DEPARTMENT_USER and region is None and not actor_scope.everything:
        region = actor_scope.region
    if region is not None and not actor_scope.grantable_regions().filter(pk=region.pk).exists():
        raise AccountRefused({"region": _("You can only grant regions inside your own.")})
    # Department users work across the county (条); every other role needs a region inside the granter's.
    if region is None and role != Role.DEPARTMENT_USER:
        role_name = dict(Role.choices).get(role, role)
        raise AccountRefused(
            {"region": _("A %(role)s account needs a region: where the person works.") % {"role": role_name}}
        )
    if department is not None and not actor_scope.managed_departments().filter(pk=department.pk).exists():
        raise AccountRefused({"department": _("You can only grant the departments of your county.")})
    profile = Profile.objects.select_for_update().filter(user=user).first() or Profile(user=user)
    before = snapshot(profile) if profile.pk else {}
    profile.role, profile.region, profile.department = role, region, department
    profile.full_clean()
    profile.save()
    audit_change(
        Action.UPDATE if before else Action.CREATE, before=before, after=profile, verb="account.granted"
    )
    return profile


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


def login_succeeded_record(*, user, note: str = "") -> None:
    """What every door does once a password (and any second factor) was accepted: the account's failure
    count starts again, the login is audited (``login.succeeded``), and a superuser's login, a use of the
    break-glass account, gets an entry of its own verb (``auth.break_glass_login``). The doors: the app's
    login and the admin's (``signals.login_succeeded``), the API's password-for-token exchange."""
    login_success_record(username=user.get_username())
    auth_event("login.succeeded", user=user, note=note)
    if user.is_superuser:
        auth_event("auth.break_glass_login", user=user, note="使用应急账号（超级管理员）")


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
