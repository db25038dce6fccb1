"""隐患排查整改 (inspections and hazards): 排查 → 整改 → 复查.

An inspection (by a department, a town, or the unit itself) checks a subject against a checklist whose items
are data a county edits; each finding is a ``Hazard`` with a category, a level (一般/重大), an owner and a
deadline by level. Its case is a ``work.WorkItem`` of kind ``hazard``: 整改中 → 申请复查 → 复查通过 (closed) or
复查不通过 (back to 整改). A hazard is not an accident: it never changes a subject's 达标率 (those count
``events.Event`` only); an accident recorded later may name the hazard it came from (``Event.hazard``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_not_in_future, validate_ref
from sanling.departments.models import Department
from sanling.organisations.models import Organisation
from sanling.regions.models import Region
from sanling.subjects.models import Subject
from sanling.work.models import WorkItem


class ChecklistItem(models.Model):
    """One line of the checklist of an inspection type (code of the dictionary list ``inspection_type``).
    Data a county edits: an item no longer used is disabled, so past results keep their text."""

    inspection_type = models.CharField(_("inspection type"), max_length=40)
    text = models.CharField(_("item"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["inspection_type", "order", "pk"]
        indexes = [models.Index(fields=["inspection_type", "order"], name="hazard_checklist_type")]

    def __str__(self) -> str:
        return self.text


class InspectorKind(models.TextChoices):
    DEPARTMENT = "department", _("Department")  # 行业主管部门
    TOWN = "town", _("Town / street")  # 属地
    UNIT = "unit", _("The unit itself")  # 自查


class Inspection(models.Model):
    """An inspection (排查) of a subject on a day, of one type, by a department, a town or the unit itself."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="inspections"
    )
    grid = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspected_on = models.DateField(_("inspected on"), validators=[validate_not_in_future])
    inspection_type = models.CharField(_("inspection type"), max_length=40)
    by_kind = models.CharField(
        _("inspected by"), max_length=12, choices=InspectorKind.choices, default=InspectorKind.TOWN
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-inspected_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="inspection_ref_unique")]
        indexes = [models.Index(fields=["subject", "inspected_on"], name="inspection_subject_on")]

    def __str__(self) -> str:
        return f"{self.ref} {self.inspected_on}"

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        if self.by_kind == InspectorKind.DEPARTMENT and not self.department_id:
            raise ValidationError({"department": _("An inspection by a department names the department.")})
        # The earliest year on record, as every dated record and the bundle importer (``record_date_problem``).
        if problem := record_date_problem(self.inspected_on, joined_on=None):
            raise ValidationError({"inspected_on": problem})


class InspectionResult(models.Model):
    """How one checklist item went in one inspection (passed or not); the item's text is kept as it was."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(
        ChecklistItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="results"
    )
    text = models.CharField(_("item"), max_length=200)
    passed = models.BooleanField(_("passed"), default=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("inspection result")
        verbose_name_plural = _("inspection results")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return self.text


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("General (一般)")
    MAJOR = "major", _("Major (重大)")


class HazardStatus(models.TextChoices):
    RECTIFYING = "rectifying", _("Rectifying")  # 整改中 (registered)
    RECHECK_REQUESTED = "recheck_requested", _("Re-check requested")  # 申请复查
    CLOSED = "closed", _("Re-check passed")  # 复查通过 (closed)


class HazardSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    PATROL = "patrol", _("Patrol")
    MEETING = "meeting", _("Meeting")
    VISIT = "visit", _("Visit")


class Hazard(models.Model):
    """A hazard (隐患) found at a subject: its case carries the owner (organisation, handler), the deadline
    (``case.due_on``) and the timeline of 整改 and 复查."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="hazards"
    )
    grid = models.ForeignKey(
        Region,
        verbose_name=_("grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    case = models.OneToOneField(
        WorkItem, verbose_name=_("case"), on_delete=models.PROTECT, related_name="hazard"
    )
    category = models.CharField(_("category"), max_length=40)
    level = models.CharField(
        _("level"), max_length=10, choices=HazardLevel.choices, default=HazardLevel.GENERAL
    )
    description = models.TextField(_("description"), max_length=2000)
    found_on = models.DateField(_("found on"), validators=[validate_not_in_future])
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("rectification owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hazards",
    )
    owner_person = models.CharField(_("person responsible"), max_length=60, blank=True)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (login)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hazards_owned",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=HazardStatus.choices, default=HazardStatus.RECTIFYING
    )
    source = models.CharField(
        _("source"), max_length=12, choices=HazardSource.choices, default=HazardSource.INSPECTION
    )
    rectified_on = models.DateField(_("rectified on"), null=True, blank=True)  # the day of 复查通过
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("hazard")
        verbose_name_plural = _("hazards")
        ordering = ["-found_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="hazard_ref_unique")]
        indexes = [
            models.Index(fields=["subject", "found_on"], name="hazard_subject_found"),
            models.Index(fields=["found_on"], name="hazard_found"),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.description[:20]}"

    @property
    def step(self) -> str:
        return self.status

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        # The bundle importer's rule (``record_date_problem``): not before the earliest year on record nor
        # before the subject joined the campaign, so an exported hazards.csv always re-imports.
        if self.subject_id and (
            problem := record_date_problem(self.found_on, joined_on=self.subject.joined_on)
        ):
            raise ValidationError({"found_on": problem})
        if self.inspection_id and self.found_on and self.found_on < self.inspection.inspected_on:
            raise ValidationError({"found_on": _("A hazard cannot be found before its inspection.")})
        if self.inspection_id and self.subject_id and self.inspection.subject_id != self.subject_id:
            raise ValidationError({"subject": _("A hazard is found at the subject of its inspection.")})


class HazardDeadlineRule(models.Model):
    """How many days a hazard of a level has to be rectified, as data. The defaults (一般 30 days, 重大 90
    days) are ours, not the seeds': a county edits them."""

    level = models.CharField(_("level"), max_length=10, choices=HazardLevel.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("days to rectify"))

    class Meta:
        verbose_name = _("hazard deadline rule")
        verbose_name_plural = _("hazard deadline rules")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.days}"
