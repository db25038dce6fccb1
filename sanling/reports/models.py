"""Reports a county office sends up and out: the 三零播报 (any period), the 月度小结 (a month) and the 季度分析
(a quarter) of a region, as Word or PDF, and who they were sent to and when each recipient read them.

The seeds (中站区): results "以“三零播报”形式报区委、区政府主要领导和分管领导，并发至区直相关部门和街道办事处";
"月度小结和季度分析". A ``Report`` is generated in the background (a job of the kind ``report``) into a file
under ``SANLING_VAR_DIR/reports``; a ``Distribution`` row per recipient carries the read receipt.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.regions.models import Region


class ReportKind(models.TextChoices):
    BULLETIN = "bulletin", _("三零 bulletin")  # 三零播报
    MONTHLY = "monthly", _("Monthly summary")  # 月度小结
    QUARTERLY = "quarterly", _("Quarterly analysis")  # 季度分析


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word")
    PDF = "pdf", _("PDF")


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class Audience(models.TextChoices):
    """Who a report goes to, in the seeds' words: 区委、区政府领导, 区直相关部门, 街道办事处 (towns)."""

    LEADERS = "leaders", _("Party committee and government leaders")
    DEPARTMENTS = "departments", _("County departments")
    TOWNS = "towns", _("Towns and sub-district offices")
    OTHER = "other", _("Other")


class Report(models.Model):
    kind = models.CharField(_("kind"), max_length=12, choices=ReportKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    period = models.CharField(_("period"), max_length=10)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    message = models.CharField(_("message"), max_length=500, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    # The file's name under the reports folder (never a path: the folder is the app's).
    file = models.CharField(_("file"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    job = models.ForeignKey(
        "jobs.Job", verbose_name=_("job"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["region", "-created_at"], name="report_region_created")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.period}"

    @property
    def file_name(self) -> str:
        """The name the file is downloaded as: 三零播报-郾城区-2025.pdf."""
        kinds = {"bulletin": "三零播报", "monthly": "月度小结", "quarterly": "季度分析"}
        return f"{kinds.get(self.kind, self.kind)}-{self.region.name}-{self.period}.{self.format}"


class Distribution(models.Model):
    """One recipient of one report: when it was sent and by whom, and when the recipient first read it
    (opened its page or downloaded it) — the read receipt, recorded once."""

    report = models.ForeignKey(
        Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="distributions"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"))
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["audience", "recipient__username"]
        constraints = [
            models.UniqueConstraint(fields=["report", "recipient"], name="distribution_once_per_recipient")
        ]
        indexes = [models.Index(fields=["recipient", "-sent_at"], name="distribution_recipient_sent")]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient}"
