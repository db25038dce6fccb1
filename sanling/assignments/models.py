"""一周一交办 (郾城区: "一周一交办、一月一讲评"; "清单台账"): an assignment (交办单) from the county or a town
to an organisation, its owner, the issue, the deadline, and the feedback with evidence it requires.

Lifecycle: 待反馈 → 已反馈 (feedback text and at least one evidence file) → 已办结 (accepted by the giver),
or back to 待反馈 with a reason (退回). Feedback after the deadline carries a late reason. An assignment is
overdue while it is open (not 已办结) past its deadline.

An assignment is kept in its own table with its own timeline and evidence rather than as a ``work.WorkItem``:
a work item belongs to one subject (its scope, reminders and evidence audit follow that subject), and a 交办单
is addressed to an organisation and may be about no subject or several. Its evidence is stored by the same
content-addressed store as a case's (``work.attachments``).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import validate_ref
from sanling.departments.models import Department
from sanling.organisations.models import Organisation
from sanling.regions.models import Region
from sanling.subjects.models import Subject


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting feedback")  # 待反馈
    FED_BACK = "fed_back", _("Fed back")  # 已反馈
    DONE = "done", pgettext_lazy("assignment", "Concluded")  # 已办结


class AssignmentSource(models.TextChoices):
    MANUAL = "manual", _("Given by hand")
    WARNING = "warning", _("From a warning list")


def week_label(day: datetime.date) -> str:
    """The ISO week of ``day`` as the ledger names it: 2026年第48周."""
    year, week, _weekday = day.isocalendar()
    return f"{year}年第{week}周"


class Assignment(models.Model):
    """One 交办单: who gives it (a county or a town, ``giver_region``), to which organisation and owner, what,
    by when, and what came back."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    giver_region = models.ForeignKey(
        Region, verbose_name=_("given by"), on_delete=models.PROTECT, related_name="+"
    )
    giver_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("giving organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("receiving organisation"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    # Where the receiving organisation stands (copied from it): the scope and the audit chain follow it.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assignments",
    )
    issue = models.TextField(_("issue"), max_length=4000)
    subjects = models.ManyToManyField(Subject, verbose_name=_("subjects"), blank=True, related_name="+")
    given_on = models.DateField(_("given on"))
    week = models.CharField(_("week"), max_length=20, editable=False)
    due_on = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING
    )
    source = models.CharField(
        _("source"), max_length=10, choices=AssignmentSource.choices, default=AssignmentSource.MANUAL
    )
    feedback = models.TextField(_("feedback"), blank=True, max_length=4000)
    fed_back_on = models.DateField(_("fed back on"), null=True, blank=True)
    late_reason = models.TextField(_("reason for late feedback"), blank=True, max_length=1000)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    returns = models.PositiveSmallIntegerField(_("times returned"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-given_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="assignment_ref_unique")]
        indexes = [
            models.Index(fields=["organisation", "due_on"], name="assignment_org_due"),
            models.Index(fields=["given_on"], name="assignment_given"),
            models.Index(fields=["due_on"], condition=~Q(status="done"), name="assignment_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.issue[:20]}"

    def save(self, *args, **kwargs):
        if self.given_on:
            self.week = week_label(self.given_on)
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status != AssignmentStatus.DONE

    def overdue_on(self, day: datetime.date) -> bool:
        """Open past its deadline on ``day``."""
        return self.is_open and self.due_on < day


class AssignmentEntry(models.Model):
    """One step of an assignment as both sides read it: given, fed back, returned, concluded."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(_("action"), max_length=16)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=4000)

    class Meta:
        verbose_name = _("assignment step")
        verbose_name_plural = _("assignment steps")
        ordering = ["assignment", "on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.action} {self.on}"


class Evidence(models.Model):
    """A file sent with feedback (a photo, a scan, a PDF), stored under its SHA-256 outside the web root by
    ``work.attachments``; only the scope-checked view serves it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="evidence")
    entry = models.ForeignKey(
        AssignmentEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="evidence"
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=80)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["assignment", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
