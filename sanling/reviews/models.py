"""一月一讲评 (郾城区: "一周一交办、一月一讲评"): a monthly review of a county's towns (or a town's villages) and of
the departments with units there. Each ``ReviewItem`` freezes the figures of one town or department on the
day the review was made (so the meeting discusses what was true that day) with the county office's 点评;
a draft can be refreshed, a final review is read-only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.departments.models import Department
from sanling.regions.models import Region


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review status", "Draft")
    FINAL = "final", pgettext_lazy("review status", "Final")


class ItemKind(models.TextChoices):
    REGION = "region", pgettext_lazy("review item", "Region")  # a town of a county, a village of a town
    DEPARTMENT = "department", pgettext_lazy("review item", "Department")


class MonthlyReview(models.Model):
    """The review of ``region`` (a county or a town) for one month (``month``: a period key, 2026-10)."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    month = models.CharField(_("month"), max_length=7)
    status = models.CharField(
        _("status"), max_length=8, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    figures_on = models.DateField(_("figures taken on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("monthly review")
        verbose_name_plural = _("monthly reviews")
        ordering = ["-month", "region__code"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="monthly_review_unique")]

    def __str__(self) -> str:
        return f"{self.region.name} {self.month}"

    @property
    def is_final(self) -> bool:
        return self.status == ReviewStatus.FINAL


class ReviewItem(models.Model):
    """One town (or village) or department of a review with its figures as they were on ``figures_on``.

    ``rate`` is the combined 达标率 of both groups (村社区 and 企事业: compliant ÷ active over both) for a
    region, the units' 达标率 for a department; ``rank`` orders the items of one kind by it (highest first,
    equal rates share a rank, an item with no active subject has none)."""

    review = models.ForeignKey(MonthlyReview, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    # A town (or village) item's own region; a department item's is the review's (its units there).
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    code = models.CharField(_("code"), max_length=18)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    active = models.PositiveIntegerField(_("active subjects"), default=0)
    compliant = models.PositiveIntegerField(_("compliant subjects"), default=0)
    rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=2, null=True, blank=True)
    previous_rate = models.DecimalField(
        _("rate last month"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    change = models.DecimalField(_("change"), max_digits=6, decimal_places=2, null=True, blank=True)
    overdue = models.PositiveIntegerField(_("overdue work"), default=0)
    backlog = models.PositiveIntegerField(_("backlog cases open"), default=0)
    warnings_red = models.PositiveIntegerField(_("red warnings"), default=0)
    warnings_orange = models.PositiveIntegerField(_("orange warnings"), default=0)
    assignments_total = models.PositiveIntegerField(_("assignments"), default=0)
    assignments_done = models.PositiveIntegerField(_("assignments done"), default=0)
    assignments_overdue = models.PositiveIntegerField(_("assignments overdue"), default=0)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("review item")
        verbose_name_plural = _("review items")
        ordering = ["review", "kind", models.F("rank").asc(nulls_last=True), "code"]
        constraints = [models.UniqueConstraint(fields=["review", "kind", "code"], name="review_item_unique")]

    def __str__(self) -> str:
        return f"{self.review} {self.name}"

    @property
    def assignment_rate(self):
        from sanling.assessment.selectors import rate_percent

        return rate_percent(self.assignments_done, self.assignments_total)
