"""盯报表 (中站区: "通过“盯数据、盯报表、盯排名”"): which towns, villages (communities) and departments must
report what, how often. A county edits its duties; the default set (``sources.DEFAULT_DUTIES``) is ours, not
the seeds': they name the mechanism without saying what is to be reported."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.regions.models import Region

from .sources import SOURCES


class DutyLevel(models.TextChoices):
    TOWN = "town", _("Towns (streets)")
    VILLAGE = "village", _("Villages and communities")
    DEPARTMENT = "department", _("Departments")


class DutyFrequency(models.TextChoices):
    WEEK = "week", _("Weekly")
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")


class ReportingDuty(models.Model):
    """In ``county``, every town, village or department (``level``) reports ``source`` each ``frequency``."""

    county = models.ForeignKey(
        Region, verbose_name=_("county"), on_delete=models.CASCADE, related_name="reporting_duties"
    )
    level = models.CharField(_("who"), max_length=12, choices=DutyLevel.choices)
    source = models.CharField(
        _("what"), max_length=24, choices=[(code, source.label) for code, source in SOURCES.items()]
    )
    frequency = models.CharField(_("how often"), max_length=8, choices=DutyFrequency.choices)
    active = models.BooleanField(_("active"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reporting duty")
        verbose_name_plural = _("reporting duties")
        ordering = ["county__code", "level", "source"]
        constraints = [
            models.UniqueConstraint(fields=["county", "level", "source"], name="reporting_duty_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.get_source_display()} {self.get_frequency_display()}"

    @property
    def region(self) -> Region:
        """Where the duty belongs (its county): the audit files it there."""
        return self.county

    def clean(self) -> None:
        source = SOURCES.get(self.source)
        if source is not None and self.level and self.level not in source.levels:
            raise ValidationError(
                {"source": _("Departments do not report this: it is recorded by towns and villages.")}
            )
        if self.county_id and self.county.level != "county":
            raise ValidationError({"county": _("Reporting duties are set by a county.")})
