"""Who handles work: the organisations of the campaign (综治中心, 矛调中心, 调委会, 派出所, 司法所, 信访办,
departments) placed in the region tree, and the users who belong to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import REF_TAKEN, validate_ref
from sanling.departments.models import Department
from sanling.regions.models import Region


class OrganisationKind(models.TextChoices):
    COMPREHENSIVE_CENTRE = "comprehensive_centre", _("Comprehensive governance centre")  # 综治中心
    MEDIATION_CENTRE = "mediation_centre", _("Dispute mediation centre")  # 矛调中心
    MEDIATION_COMMITTEE = "mediation_committee", _("People's mediation committee")  # 人民调解委员会
    POLICE_STATION = "police_station", _("Police station")  # 派出所
    JUSTICE_OFFICE = "justice_office", _("Judicial office")  # 司法所
    PETITION_OFFICE = "petition_office", _("Petition office")  # 信访办 / 信访局
    DEPARTMENT = "department", _("Industry department")  # 行业主管部门
    OTHER = "other", _("Other")


class Organisation(models.Model):
    """A body that holds cases (首问负责): it stands at one node of the region tree; a department's office
    names its department. Its members see its queue; its head is told when its work runs late."""

    code = models.CharField(_("code"), max_length=40, validators=[validate_ref])
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="organisations"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("members"),
        blank=True,
        related_name="organisations",
    )
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__path", "kind", "code"]
        constraints = [models.UniqueConstraint(fields=["code"], name="organisation_code_unique")]

    def __str__(self) -> str:
        return self.name

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("code",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        if self.kind == OrganisationKind.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("A department's office names its department.")})
