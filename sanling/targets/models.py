"""Targets (目标): what a county measures itself by, per year, region and group.

The seeds (山西, 省委政法委负责人谈“三零”单位创建): "促使广大村（社区）、企业和单位符合“三零”创建标准的数量逐年上升，力争到
2022年，全省零上访、零事故、零案件的村（社区）达到80%以上，企业和单位达到90%以上". A target is set for a region and
holds for its whole subtree unless a region below sets its own (``selectors.target_value``). Besides the
达标率 of each group, a county sets the other figures it drives: 化解率, 整改率 and the key persons' visit
completion (the seeds name them without figures: those are the county's to set).
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.regions.models import Region
from sanling.subjects.models import Group


class Indicator(models.TextChoices):
    RATE = "rate", _("Compliance rate")  # 达标率
    DISPUTE_RESOLUTION = "dispute_resolution", _("Dispute resolution rate")  # 化解率
    HAZARD_RECTIFICATION = "hazard_rectification", _("Hazard rectification rate")  # 整改率
    VISIT_COMPLETION = "visit_completion", _("Key-person visit completion rate")  # 重点人群回访完成率


class Target(models.Model):
    """The target of one indicator for one group (blank: every group) in a region and year, in percent."""

    year = models.PositiveSmallIntegerField(_("year"))
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    group = models.CharField(_("group"), max_length=10, choices=Group.choices, blank=True)
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    value = models.DecimalField(
        _("target (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "region__path", "indicator", "group"]
        constraints = [
            models.UniqueConstraint(fields=["year", "region", "group", "indicator"], name="target_unique")
        ]
        indexes = [models.Index(fields=["year", "indicator", "region"])]

    def __str__(self) -> str:
        return f"{self.year} {self.region} {self.indicator} {self.group or '*'} {self.value}"
