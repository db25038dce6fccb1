"""Disputes (矛盾纠纷) screened and mediated before they become petitions or cases."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_not_in_future, validate_ref
from sanling.personal.fields import EncryptedCharField
from sanling.personal.masking import mask_text
from sanling.regions.models import grid_outside_error
from sanling.subjects.models import Subject
from sanling.work.models import WorkItem


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Awaiting mediation")
    MEDIATING = "mediating", _("Mediating")
    RESOLVED = "resolved", _("Resolved")
    # 上交: handed one level up, where it waits for mediation; the case carries on under its ref.
    ESCALATED = "escalated", _("Escalated")
    FAILED = "failed", _("Mediation failed")
    PETITIONED = "petitioned", _("Turned into a petition")  # 转信访
    LITIGATED = "litigated", _("Turned to litigation or arbitration")  # 转诉讼/仲裁


# A dispute in one of these is a closed case; the others are still being worked.
CLOSED_STATUSES = frozenset(
    {DisputeStatus.RESOLVED, DisputeStatus.FAILED, DisputeStatus.PETITIONED, DisputeStatus.LITIGATED}
)


class ResolvedLevel(models.TextChoices):
    """Where it was settled: the 三级过滤网 of group, village and town, or the county."""

    GROUP = "group", _("Villager group")
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    COUNTY = "county", _("County")


# The levels of the 三级过滤网 in order, and the region level whose organisations work each one.
LEVEL_ORDER = ("group", "village", "town", "county")
LEVEL_REGION = {"group": "grid", "village": "village", "town": "town", "county": "county"}


class Diagnosis(models.TextChoices):
    """The 四诊 stage tags of a 矛调中心 (门诊/巡诊/会诊/复诊)."""

    CLINIC = "clinic", _("Clinic (门诊)")
    ROUNDS = "rounds", _("Rounds (巡诊)")
    CONSULTATION = "consultation", _("Consultation (会诊)")
    FOLLOW_UP = "follow_up", _("Follow-up (复诊)")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class MediationMethod(models.TextChoices):
    PEOPLE = "people", _("People's mediation")
    ADMINISTRATIVE = "administrative", _("Administrative mediation")
    JUDICIAL = "judicial", _("Judicial mediation")
    OTHER = "other", _("Other")


def dispute_rule_errors(
    *, status: str, resolved_level: str, resolved_on, reported_on, level: str = "", follow_up_on=None
) -> dict[str, str]:
    """Field -> why status, level and dates do not fit together. Shared by the model and the importer."""
    errors: dict[str, str] = {}
    if follow_up_on and status != DisputeStatus.RESOLVED:
        errors["follow_up_on"] = _("Only a resolved dispute gets a follow-up visit.")
    elif follow_up_on and resolved_on and follow_up_on < resolved_on:
        errors["follow_up_on"] = _("A follow-up visit cannot come before the resolution.")
    if status == DisputeStatus.RESOLVED:
        if not resolved_on:
            errors["resolved_on"] = _("A resolved dispute needs the date it was resolved.")
        if not resolved_level:
            errors["resolved_level"] = _("A resolved dispute needs the level it was resolved at.")
    else:
        if resolved_on:
            errors["resolved_on"] = _("Only a resolved dispute has a resolution date.")
        if resolved_level:
            errors["resolved_level"] = _("Only a resolved dispute has a resolution level.")
    if (
        status == DisputeStatus.RESOLVED
        and level
        and resolved_level
        and (LEVEL_ORDER.index(resolved_level) > LEVEL_ORDER.index(level))
    ):
        errors["resolved_level"] = _("A dispute cannot be resolved above the level it has reached.")
    if resolved_on and reported_on and resolved_on < reported_on:
        errors["resolved_on"] = _("A dispute cannot be resolved before it was registered.")
    return errors


# The fields of a dispute besides its ref and subject, in the order of disputes.csv.
DISPUTE_FIELDS = ("reported_on", "category", "summary", "status", "resolved_level", "resolved_on", "method")
# The optional case columns after them (issue 17): the level it is worked at, the 四诊 tag, the parties, the
# agreement and the 回访.
DISPUTE_CASE_FIELDS = ("level", "diagnosis", "parties", "agreement", "follow_up_on", "satisfaction")
# Where it was found (issue 15): the grid, written as its code (grid_code) in disputes.csv.
DISPUTE_PLACE_FIELDS = ("grid",)


class Dispute(models.Model):
    """A dispute registered against a subject; its 化解率 is resolved ÷ registered."""

    # Unique by a constraint rather than unique=True, which on PostgreSQL adds a second, pattern-ops index
    # that no query uses and a province's import would rebuild.
    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="disputes",
        db_index=False,  # the index on (subject, date) below serves lookups by subject
    )
    reported_on = models.DateField(_("registered on"), validators=[validate_not_in_future])
    category = models.CharField(_("category"), max_length=40, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    status = models.CharField(
        _("status"), max_length=10, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    level = models.CharField(
        _("level"), max_length=10, choices=ResolvedLevel.choices, default=ResolvedLevel.GROUP
    )
    resolved_level = models.CharField(
        _("resolved at"), max_length=10, choices=ResolvedLevel.choices, blank=True
    )
    resolved_on = models.DateField(
        _("resolved on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    method = models.CharField(
        _("mediation method"), max_length=16, choices=MediationMethod.choices, blank=True
    )
    diagnosis = models.CharField(_("stage (四诊)"), max_length=16, choices=Diagnosis.choices, blank=True)
    parties = EncryptedCharField(_("parties"), max_length=200, blank=True, mask=mask_text)  # personal data
    agreement = models.TextField(_("agreement"), max_length=4000, blank=True)
    follow_up_on = models.DateField(
        _("follow-up visit on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    # The grid (or 楼宇) of the subject's village it was found in (issue 15), so a grid worker's list is theirs.
    grid = models.ForeignKey(
        "regions.Region",
        verbose_name=pgettext_lazy("grids", "grid"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes_found",
    )
    case = models.ForeignKey(
        WorkItem,
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="disputes",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        constraints = [models.UniqueConstraint(fields=["ref"], name="dispute_ref_unique")]
        ordering = ["-reported_on", "ref"]
        indexes = [models.Index(fields=["subject", "reported_on"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.summary[:20]}"

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):  # never "exists": the clash may be another town's record
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        errors = dispute_rule_errors(
            status=self.status,
            resolved_level=self.resolved_level,
            resolved_on=self.resolved_on,
            reported_on=self.reported_on,
            level=self.level,
            follow_up_on=self.follow_up_on,
        )
        if self.subject_id and (
            problem := record_date_problem(self.reported_on, joined_on=self.subject.joined_on)
        ):
            errors["reported_on"] = problem
        if (
            self.grid_id
            and self.subject_id
            and (problem := grid_outside_error(self.grid, self.subject.region))
        ):
            errors["grid"] = problem
        if errors:
            raise ValidationError(errors)
