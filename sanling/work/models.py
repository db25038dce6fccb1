"""The machinery every work item shares (a dispute or petition case today; hazards, 交办 and letters next):
who holds it, when it is due, the timeline its handlers read, its evidence, and the notifications it sends.

Each domain app keeps its own lifecycle (a transition table in its services) and moves its ``WorkItem``
through ``work.services``; 我的待办, the overdue lists and the reminders read only this table, through
indexes on the open items.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import validate_ref
from sanling.organisations.models import Organisation
from sanling.subjects.models import Subject

from .deadlines import PeriodUnit, add_period


class WorkKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    PETITION = "petition", _("Petition")
    AGENCY = "agency", _("Petition agency")
    HAZARD = "hazard", _("Hazard")  # 隐患: 整改 → 复查 (issue 15)
    KEY_VISIT = "key_visit", _("Key-population visit")  # the next visit a 重点人员 is due (issue 15)


class WorkItem(models.Model):
    """One case, one code (一案一码): the ref follows the case through every level and kind (a dispute that
    becomes a petition keeps its item, its ref and its timeline; the petition event it records has the ref
    too)."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    kind = models.CharField(_("kind"), max_length=16, choices=WorkKind.choices)
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="work_items"
    )
    title = models.CharField(_("title"), max_length=200)
    step = models.CharField(_("step"), max_length=24)  # the code of the domain's current step
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_items",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items",
    )
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    backlog = models.BooleanField(_("backlog case"), default=False)  # 积案
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["due_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="work_item_ref_unique")]
        indexes = [
            # 我的待办 and the overdue lists read open items only, by holder and due date.
            models.Index(
                fields=["organisation", "due_on"], condition=Q(closed_on__isnull=True), name="work_open_org"
            ),
            models.Index(
                fields=["handler", "due_on"], condition=Q(closed_on__isnull=True), name="work_open_handler"
            ),
            models.Index(fields=["due_on"], condition=Q(closed_on__isnull=True), name="work_open_due"),
            # A leader's overdue list reads open items of the subjects in scope: without this it fetched every
            # item (closed ones too) of each subject in the county (docs/performance.md, "Casework").
            models.Index(
                fields=["subject", "due_on"], condition=Q(closed_on__isnull=True), name="work_open_subject"
            ),
            models.Index(fields=["subject", "opened_on"], name="work_subject_opened"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title[:20]}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class TimelineEntry(models.Model):
    """One step of a work item as its handlers read it: who, for which organisation, on which day, from which
    step to which, and why. The audit trail keeps the tamper-evident record of the same change."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="timeline")
    action = models.CharField(_("action"), max_length=24)
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
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_step = models.CharField(_("from"), max_length=24, blank=True)
    to_step = models.CharField(_("to"), max_length=24, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    details = models.JSONField(_("details"), default=dict, blank=True)  # e.g. {"level": "town"}

    class Meta:
        verbose_name = _("timeline entry")
        verbose_name_plural = _("timeline entries")
        ordering = ["item", "on", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.action} {self.on}"


class Attachment(models.Model):
    """Evidence (a photo, a scan, a PDF) on a work item or one of its steps. The file lives outside the web
    root under its SHA-256 (``work.storage``); only a scope-checked view serves it."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="attachments")
    entry = models.ForeignKey(
        TimelineEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments"
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
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["item", "uploaded_at", "pk"]
        indexes = [models.Index(fields=["sha256"], name="work_attachment_sha")]

    def __str__(self) -> str:
        return self.name


class NotificationKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    OVERDUE_HEAD = "overdue_head", _("Overdue (told the head)")
    ASSIGNED = "assigned", _("Assigned to you")


class Notification(models.Model):
    """An in-app message to one user about one work item. ``on`` is the day it concerns, so the daily
    reminder job run twice on one day sends nothing twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    item = models.ForeignKey(
        WorkItem, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    on = models.DateField(_("date"))
    message = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "item", "kind", "on"], name="notification_once_a_day")
        ]
        indexes = [
            models.Index(
                fields=["user", "created_at"], condition=Q(read_at__isnull=True), name="notif_unread"
            )
        ]

    def __str__(self) -> str:
        return self.message


class ResultFrom(models.TextChoices):
    RECEIVED = "received", _("the day it was received")
    ACCEPTED = "accepted", _("the day it was accepted")


class DeadlineRuleSet(models.Model):
    """How long each step may take, as data a county chooses (``counties``) or the deployment's default.

    Two presets ship (migration ``work.0002``): the seed's "7日内回复、3个月内答复办理结果" (博爱县) and the
    《信访工作条例》 (2022) one: 受理告知 15 days, 办理 60 days extendable once by 30, 复查/复核 30 days. The
    mediation period of a dispute at each level (30 days) is not from the seeds: a county edits it.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, validators=[validate_ref])
    name = models.CharField(_("name"), max_length=100)
    is_default = models.BooleanField(_("default"), default=False)
    counties = models.ManyToManyField(
        "regions.Region", verbose_name=_("counties using it"), blank=True, related_name="deadline_rule_sets"
    )
    mediation_amount = models.PositiveSmallIntegerField(_("mediation period"), default=30)
    mediation_unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices, default="days")
    accept_amount = models.PositiveSmallIntegerField(_("acceptance and notice period"), default=15)
    accept_unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices, default="days")
    result_amount = models.PositiveSmallIntegerField(_("handling period"), default=60)
    result_unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices, default="days")
    result_from = models.CharField(
        _("handling counted from"), max_length=10, choices=ResultFrom.choices, default=ResultFrom.ACCEPTED
    )
    extension_amount = models.PositiveSmallIntegerField(
        _("extension (0: none)"), default=30, help_text=_("An extension is granted once, with a reason.")
    )
    extension_unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices, default="days")
    review_amount = models.PositiveSmallIntegerField(_("review period"), default=30)
    review_unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices, default="days")

    class Meta:
        verbose_name = _("deadline rule set")
        verbose_name_plural = _("deadline rule sets")
        ordering = ["-is_default", "code"]

    def __str__(self) -> str:
        return self.name

    def mediation_due(self, on):
        return add_period(on, self.mediation_amount, self.mediation_unit)

    def accept_due(self, received_on):
        return add_period(received_on, self.accept_amount, self.accept_unit)

    def result_due(self, *, received_on, accepted_on):
        start = received_on if self.result_from == ResultFrom.RECEIVED else accepted_on
        return add_period(start, self.result_amount, self.result_unit)

    def extended(self, due_on):
        return add_period(due_on, self.extension_amount, self.extension_unit)

    def review_due(self, on):
        return add_period(on, self.review_amount, self.review_unit)
