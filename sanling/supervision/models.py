"""On-site 督查 and the 四函 ladder (issue 16).

The seeds (中站区): "通过“盯数据、盯报表、盯排名”，对工作措施落实不细不实的创建主体按照“一次提醒、二次通报、三次约谈、
四次问责”的“四函”机制进行处理". A supervision visit (by the county, a town or a department) records findings
against subjects; the n-th finding of a subject's run proposes the n-th letter of the ladder, which a person
issues or declines (never automatically). How the run is counted is in ``services.ladder_position``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import REF_TAKEN, validate_ref
from sanling.departments.models import Department
from sanling.organisations.models import Organisation
from sanling.regions.models import Region
from sanling.subjects.models import Subject

# Our defaults (the seeds name the ladder but neither a window nor response deadlines).
DEFAULT_WINDOW_DAYS = 90
DEFAULT_RESPONSE_DAYS = {"reminder": 7, "notice": 7, "interview": 5, "accountability": 10}


class LetterKind(models.TextChoices):
    """The 四函, in the order of the ladder (``selectors.LETTER_KINDS``)."""

    REMINDER = "reminder", pgettext_lazy("letter kind", "Reminder letter")  # 提醒函
    NOTICE = "notice", pgettext_lazy("letter kind", "Notice of criticism")  # 通报
    INTERVIEW = "interview", pgettext_lazy("letter kind", "Interview letter")  # 约谈函
    ACCOUNTABILITY = "accountability", pgettext_lazy("letter kind", "Accountability letter")  # 问责函


class VisitLevel(models.TextChoices):
    COUNTY = "county", pgettext_lazy("supervision by", "County")
    TOWN = "town", pgettext_lazy("supervision by", "Town")
    DEPARTMENT = "department", pgettext_lazy("supervision by", "Department")


class SupervisionVisit(models.Model):
    """One on-site 督查: who visited (the county, a town or a department; the visiting region and, if named,
    organisation), when, where, who went, and a summary. Its findings name the subjects."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    level = models.CharField(_("supervised by"), max_length=12, choices=VisitLevel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("visiting region"), on_delete=models.PROTECT, related_name="+"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("visiting department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("visiting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    visited_on = models.DateField(pgettext_lazy("supervision", "visited on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    visitors = models.CharField(_("who visited"), max_length=300)
    summary = models.TextField(_("summary"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="supervision_visit_ref_unique")]

    def __str__(self) -> str:
        return self.ref

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)


class Finding(models.Model):
    """A finding against one subject ("落实不细不实"), and where it stands on the subject's ladder: the run it
    belongs to (the date of the run's first finding) and its number in the run."""

    visit = models.ForeignKey(
        SupervisionVisit,
        verbose_name=_("supervision visit"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="supervision_findings"
    )
    found_on = models.DateField(_("found on"))
    text = models.CharField(_("finding"), max_length=1000)
    run_start = models.DateField(_("run began on"))
    ordinal = models.PositiveIntegerField(_("number in the run"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["subject", "found_on"])]

    def __str__(self) -> str:
        return self.text[:40]


class FindingPhoto(models.Model):
    """A photo (or PDF scan) of a finding as evidence, stored as the case attachments are (by content hash,
    outside the web root; served only through a scope-checked view)."""

    finding = models.ForeignKey(
        Finding, verbose_name=_("finding"), on_delete=models.CASCADE, related_name="photos"
    )
    sha256 = models.CharField(max_length=64)
    name = models.CharField(_("name"), max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("finding photo")
        verbose_name_plural = _("finding photos")
        ordering = ["finding", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def subject(self) -> Subject:
        return self.finding.subject

    @property
    def subject_id(self) -> int:
        return self.finding.subject_id


class LadderPolicy(models.Model):
    """The county's ladder: how many days may pass between two findings on a subject for the second to count
    on the same run, and how many days the subject has to answer each kind of letter once issued."""

    region = models.OneToOneField(
        Region, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+"
    )
    window_days = models.PositiveIntegerField(_("window (days)"), default=DEFAULT_WINDOW_DAYS)
    reminder_days = models.PositiveIntegerField(
        _("days to answer a reminder letter"), default=DEFAULT_RESPONSE_DAYS["reminder"]
    )
    notice_days = models.PositiveIntegerField(
        _("days to answer a notice of criticism"), default=DEFAULT_RESPONSE_DAYS["notice"]
    )
    interview_days = models.PositiveIntegerField(
        _("days to answer an interview letter"), default=DEFAULT_RESPONSE_DAYS["interview"]
    )
    accountability_days = models.PositiveIntegerField(
        _("days to answer an accountability letter"), default=DEFAULT_RESPONSE_DAYS["accountability"]
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("letter ladder policy")
        verbose_name_plural = _("letter ladder policies")

    def __str__(self) -> str:
        return str(self.region)

    def clean(self) -> None:
        if not 1 <= self.window_days <= 3660:
            raise ValidationError({"window_days": _("The window is between 1 and 3660 days.")})
        for kind in LetterKind.values:
            if not 1 <= getattr(self, f"{kind}_days") <= 365:
                raise ValidationError({f"{kind}_days": _("A deadline is between 1 and 365 days.")})

    def response_days(self, kind: str) -> int:
        return getattr(self, f"{kind}_days")


class LetterTemplate(models.Model):
    """The county's wording of one kind of letter: a title and a body in Django's template language, read
    from a fixed context (``services.TEMPLATE_FIELDS``)."""

    region = models.ForeignKey(Region, verbose_name=_("county"), on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind of letter"), max_length=16, choices=LetterKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"), max_length=10000)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="letter_template_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.kind}"


class LetterStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("letter", "Proposed")
    ISSUED = "issued", pgettext_lazy("letter", "Issued")
    DECLINED = "declined", pgettext_lazy("letter", "Declined")


class Letter(models.Model):
    """One letter of the ladder: proposed by a finding, then issued (numbered, sent to an organisation with a
    deadline to answer) or declined with a reason, by a person; acknowledged and answered by the
    organisation it was sent to."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="supervision_letters"
    )
    kind = models.CharField(_("kind of letter"), max_length=16, choices=LetterKind.choices)
    ordinal = models.PositiveIntegerField(_("number in the run"))
    run_start = models.DateField(_("run began on"))
    finding = models.OneToOneField(
        Finding, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="letter"
    )
    proposed_on = models.DateField(_("proposed on"))
    status = models.CharField(
        _("status"), max_length=10, choices=LetterStatus.choices, default=LetterStatus.PROPOSED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.CharField(_("reason for declining"), max_length=500, blank=True)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    sent_to = models.ForeignKey(
        Organisation,
        verbose_name=_("sent to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)  # as issued
    body = models.TextField(_("body"), blank=True)  # as issued
    response_due = models.DateField(_("response due"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    response_text = models.TextField(_("response"), max_length=5000, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-proposed_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="supervision_letter_ref_unique")]
        indexes = [models.Index(fields=["subject", "run_start", "ordinal"])]

    def __str__(self) -> str:
        return self.ref

    @property
    def issued_on(self):
        from django.utils import timezone

        if self.status != LetterStatus.ISSUED or self.decided_at is None:
            return None
        return timezone.localdate(self.decided_at)

    def is_overdue(self, today) -> bool:
        """Issued, its answer due before ``today`` and not given (or given late: then overdue stays shown)."""
        if self.status != LetterStatus.ISSUED or self.response_due is None:
            return False
        if self.responded_at is None:
            return self.response_due < today
        from django.utils import timezone

        return timezone.localdate(self.responded_at) > self.response_due
