"""Who a user is in the campaign: a role and the part of the county (region subtree, department) they see."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.departments.models import Department
from sanling.personal.fields import EncryptedCharField
from sanling.personal.masking import mask_phone
from sanling.regions.models import Region


class Role(models.TextChoices):
    # The three duties kept apart (三权分立): accounts, security, audit. No account holds two: a profile has
    # one role, and the superuser (a break-glass account) holds none.
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    # The business roles: they keep the campaign's data.
    COUNTY_ADMIN = "county_admin", _("County administrator")
    TOWN_OPERATOR = "town_operator", _("Town operator")
    GRID_WORKER = "grid_worker", _("Village or grid worker")
    DEPARTMENT_USER = "department_user", _("Department user")
    VIEWER = "viewer", _("Leader (read only)")


# Roles that may record and edit events, disputes and subjects inside their scope.
WRITING_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWN_OPERATOR, Role.GRID_WORKER, Role.DEPARTMENT_USER})
# Roles that administer the business data: import bundles, export it in bulk. Not accounts: since issue 14
# those are the system administrator's (docs/security.md).
ADMIN_ROLES = frozenset({Role.COUNTY_ADMIN})
# The duties that manage the system rather than its data: none of them changes or reads subjects.
DUTY_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
# Roles whose account is worth most to an attacker: a second factor is required of them (and of superusers).
PRIVILEGED_ROLES = DUTY_ROLES | ADMIN_ROLES


class Profile(models.Model):
    """A user's role and scope. A department user sees its industry's units across all towns (条); everyone
    else sees their region's subtree (块). Both set: the department's units inside that region."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    # Empty: an account the system administrator made, waiting for the security administrator to grant a
    # role; it sees nothing. ``region`` then only says whose accounts list it is on.
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    phone = EncryptedCharField(_("phone"), max_length=24, blank=True, mask=mask_phone)  # personal data

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def clean(self) -> None:
        if not self.role:
            return
        if self.role == Role.DEPARTMENT_USER and not self.department_id:
            raise ValidationError({"department": _("A department user needs a department.")})
        if self.role != Role.DEPARTMENT_USER and not self.region_id:
            raise ValidationError({"region": _("This role needs a region.")})


class ApiToken(models.Model):
    """A named key for another system (the province's platform, a hotline, a mini-program) to act as its
    user through the API, with the user's scope. Only a hash is stored; the key is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # A digest of the owner's password hash when the token was made: a new password kills the token.
    password_fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_before() > moment

    def expires_before(self):
        """When the token stops working: its own expiry, and never later than the county's maximum lifetime
        (``API_TOKEN_MAX_DAYS``) after it was made, which also ends tokens made before expiry was required."""
        latest = self.created_at + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)
        return min(self.expires_at, latest) if self.expires_at is not None else latest


class LoginFailure(models.Model):
    """One failed password login: the name tried (lower case, known or not) and the address it came from.
    Only counts for the lockouts (``accounts.lockout``); the audit trail tells the story. Rows older than
    the counting window are pruned."""

    username = models.CharField(max_length=150)
    ip = models.CharField(max_length=45, blank=True)  # an IPv4 address or an IPv6 /64 network
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["username", "at"]),
            models.Index(fields=["ip", "at"]),
            models.Index(fields=["at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M:%S}"


class LockoutKind(models.TextChoices):
    ACCOUNT = "account", _("Account")
    SOURCE = "source", _("Source address")


class Lockout(models.Model):
    """An account or a source address refused every password login until ``until`` (or until cleared)."""

    kind = models.CharField(_("kind"), max_length=8, choices=LockoutKind.choices)
    key = models.CharField(_("account or address"), max_length=150)
    started_at = models.DateTimeField(_("locked at"))
    until = models.DateTimeField(_("locked until"))
    failures = models.PositiveIntegerField(_("failed logins"), default=0)
    cleared_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    cleared_by = models.CharField(_("unlocked by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("lockout")
        verbose_name_plural = _("lockouts")
        indexes = [models.Index(fields=["kind", "key", "until"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} until {self.until:%Y-%m-%d %H:%M}"


class SecurityState(models.Model):
    """How an account stands with the password and session rules (``accounts.policy``). A user without a
    row has never been flagged: accounts made outside ``account_create`` (the command line, fixtures) keep
    working as before."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security_state"
    )
    # Set when an administrator creates the account or resets its password; cleared by the user's own change.
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    # Demo accounts: never forced to change a password, which never expires (their password is public anyway).
    policy_exempt = models.BooleanField(_("exempt from password policy"), default=False)
    # The one session the account may hold when SANLING_SINGLE_SESSION is on.
    session_key = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("account security state")
        verbose_name_plural = _("account security states")

    def __str__(self) -> str:
        return str(self.user)


class PasswordHistory(models.Model):
    """The hashes of an account's recent passwords, newest last, so that none of the last few is reused."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)  # a hash, like User.password
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("password history")
        verbose_name_plural = _("password history")
        ordering = ["-id"]
        indexes = [models.Index(fields=["user", "-id"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
