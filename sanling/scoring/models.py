"""考核 (Shanxi: "纳入…平安建设考评"): an ``IndicatorSet`` per year for the towns or for the departments, each
``Indicator`` a computable figure of the registry (``sanling.scoring.indicators``) with its weight (the
points it is worth; the weights of a set sum to 100), the bar a raw value earns full points at, and how a
raw value maps to points. The seeds give no weights: the example set the demo ships is ours."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Target(models.TextChoices):
    TOWNS = "towns", pgettext_lazy("scoring", "Towns")
    DEPARTMENTS = "departments", pgettext_lazy("scoring", "Departments")


class Mapping(models.TextChoices):
    LINEAR = "linear", pgettext_lazy("scoring", "Linear up to the bar")  # weight × min(raw ÷ bar, 1)
    THRESHOLD = "threshold", pgettext_lazy("scoring", "All or nothing at the bar")  # raw ≥ bar
    ZERO = "zero", pgettext_lazy("scoring", "Full points when none")  # raw = 0 (a count)


class IndicatorSet(models.Model):
    """The indicators the towns (or the departments) of a county are scored on in ``year``."""

    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveIntegerField(_("year"))
    target = models.CharField(_("scored"), max_length=12, choices=Target.choices)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        ordering = ["-year", "target"]
        constraints = [models.UniqueConstraint(fields=["year", "target"], name="indicator_set_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.CASCADE, related_name="indicators")
    key = models.CharField(_("indicator"), max_length=30)
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2)
    # The raw value that earns full points; empty: the county's target (sanling.targets), else 100.
    bar = models.DecimalField(_("full points at"), max_digits=7, decimal_places=2, null=True, blank=True)
    mapping = models.CharField(_("mapping"), max_length=10, choices=Mapping.choices, default=Mapping.LINEAR)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["indicator_set", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["indicator_set", "key"], name="indicator_unique")]

    def __str__(self) -> str:
        return self.key
