"""Disputes (矛盾纠纷) screened and mediated before they become petitions or cases."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_not_in_future, validate_ref
from sanling.subjects.models import Subject


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Awaiting mediation")
    MEDIATING = "mediating", _("Mediating")
    RESOLVED = "resolved", _("Resolved")
    ESCALATED = "escalated", _("Escalated")
    FAILED = "failed", _("Mediation failed")


class ResolvedLevel(models.TextChoices):
    """Where it was settled: the 三级过滤网 of group, village and town, or the county."""

    GROUP = "group", _("Villager group")
    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    COUNTY = "county", _("County")


class MediationMethod(models.TextChoices):
    PEOPLE = "people", _("People's mediation")
    ADMINISTRATIVE = "administrative", _("Administrative mediation")
    JUDICIAL = "judicial", _("Judicial mediation")
    OTHER = "other", _("Other")


def dispute_rule_errors(*, status: str, resolved_level: str, resolved_on, reported_on) -> dict[str, str]:
    """Field -> why status, level and dates do not fit together. Shared by the model and the importer."""
    errors: dict[str, str] = {}
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
    if resolved_on and reported_on and resolved_on < reported_on:
        errors["resolved_on"] = _("A dispute cannot be resolved before it was registered.")
    return errors


# The fields of a dispute besides its ref and subject, in the order of disputes.csv.
DISPUTE_FIELDS = ("reported_on", "category", "summary", "status", "resolved_level", "resolved_on", "method")


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
    resolved_level = models.CharField(
        _("resolved at"), max_length=10, choices=ResolvedLevel.choices, blank=True
    )
    resolved_on = models.DateField(
        _("resolved on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    method = models.CharField(
        _("mediation method"), max_length=16, choices=MediationMethod.choices, blank=True
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
        )
        if self.subject_id and (
            problem := record_date_problem(self.reported_on, joined_on=self.subject.joined_on)
        ):
            errors["reported_on"] = problem
        if errors:
            raise ValidationError(errors)
