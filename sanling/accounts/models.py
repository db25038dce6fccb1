"""Who a user is in the campaign: a role and the part of the county (region subtree, department) they see."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.departments.models import Department
from sanling.personal.fields import EncryptedCharField
from sanling.personal.masking import mask_phone
from sanling.regions.models import Region


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    TOWN_OPERATOR = "town_operator", _("Town operator")
    GRID_WORKER = "grid_worker", _("Village or grid worker")
    DEPARTMENT_USER = "department_user", _("Department user")
    VIEWER = "viewer", _("Leader (read only)")
    AUDITOR = "auditor", _("Auditor")


# Roles that may record and edit events, disputes and subjects inside their scope.
WRITING_ROLES = frozenset({Role.COUNTY_ADMIN, Role.TOWN_OPERATOR, Role.GRID_WORKER, Role.DEPARTMENT_USER})
# Roles that may import bundles and manage accounts.
ADMIN_ROLES = frozenset({Role.COUNTY_ADMIN})


class Profile(models.Model):
    """A user's role and scope. A department user sees its industry's units across all towns (条); everyone
    else sees their region's subtree (块). Both set: the department's units inside that region."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
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

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable_at(self, moment) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)
