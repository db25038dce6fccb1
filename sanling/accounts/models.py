"""Who a user is in the campaign: a role and the part of the county (region subtree, department) they see."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.departments.models import Department
from sanling.regions.models import Region


class Role(models.TextChoices):
    COUNTY_ADMIN = "county_admin", _("County administrator")
    TOWN_OPERATOR = "town_operator", _("Town operator")
    GRID_WORKER = "grid_worker", _("Village or grid worker")
    DEPARTMENT_USER = "department_user", _("Department user")
    VIEWER = "viewer", _("Leader (read only)")


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
    phone = models.CharField(_("phone"), max_length=24, blank=True)

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
