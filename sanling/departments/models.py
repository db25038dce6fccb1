"""Industry departments (行业主管部门) that supervise enterprises and institutions across all towns."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import validate_ref


class Department(models.Model):
    """A supervising department of the county (教育局, 卫健委, 应急管理局…): a flat list."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[validate_ref])
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
