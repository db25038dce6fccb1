"""Events that can break a zero: petitions, accidents, public-safety events and cases."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_not_in_future, validate_ref
from sanling.subjects.models import Subject


class EventType(models.TextChoices):
    PETITION = "petition", _("Petition")
    ACCIDENT = "accident", _("Production accident")
    PUBLIC_SAFETY = "public_safety", _("Public-safety event")
    CRIMINAL_CASE = "criminal_case", _("Criminal case")
    SECURITY_CASE = "security_case", _("Public-security case")


class PetitionLevel(models.TextChoices):
    """The level a petition reached; the policy decides from which level on it breaks 零上访."""

    VILLAGE = "village", _("Village")
    TOWN = "town", _("Town")
    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCE = "province", _("Province")
    NATIONAL = "national", _("National")


class AccidentGrade(models.TextChoices):
    """Grades of 《生产安全事故报告和调查处理条例》 article 3, lowest first."""

    GENERAL = "general", _("General")
    LARGER = "larger", _("Larger")
    MAJOR = "major", _("Major")
    ESPECIALLY_MAJOR = "especially_major", _("Especially major")


GRADE_RANK = {grade.value: rank for rank, grade in enumerate(AccidentGrade)}
# (grade, deaths at least, injuries at least): 3/10/30 deaths, 10/50/100 seriously injured.
GRADE_THRESHOLDS = [
    (AccidentGrade.ESPECIALLY_MAJOR, 30, 100),
    (AccidentGrade.MAJOR, 10, 50),
    (AccidentGrade.LARGER, 3, 10),
]


class EventStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    HANDLING = "handling", _("Being handled")
    CLOSED = "closed", _("Closed")


def minimum_grade(deaths: int, injuries: int) -> str:
    """The lowest accident grade the casualties allow (a larger direct economic loss may raise it)."""
    for grade, death_floor, injury_floor in GRADE_THRESHOLDS:
        if deaths >= death_floor or injuries >= injury_floor:
            return grade.value
    return AccidentGrade.GENERAL.value


def event_rule_errors(
    *,
    type: str,
    petition_level: str,
    higher_authority_required: bool,
    collective: bool,
    accident_grade: str,
    deaths: int,
    injuries: int,
) -> dict[str, str]:
    """Field -> why the type-specific fields do not fit together. Shared by the model and the importer."""
    errors: dict[str, str] = {}
    if type == EventType.PETITION:
        if not petition_level:
            errors["petition_level"] = _("A petition needs the level it reached.")
    else:
        if petition_level:
            errors["petition_level"] = _("Only a petition has a petition level.")
        if higher_authority_required:
            errors["higher_authority_required"] = _("Only a petition can require a higher authority.")
        if collective:
            errors["collective"] = _("Only a petition can be collective.")
    if type == EventType.ACCIDENT and not accident_grade:
        errors["accident_grade"] = _("A production accident needs its grade.")
    if type not in (EventType.ACCIDENT, EventType.PUBLIC_SAFETY):
        if accident_grade:
            errors["accident_grade"] = _("Only an accident or public-safety event has a grade.")
        if deaths or injuries:
            errors["deaths"] = _("Only an accident or public-safety event records deaths and injuries.")
    elif (
        accident_grade and GRADE_RANK[accident_grade] < GRADE_RANK[minimum_grade(deaths or 0, injuries or 0)]
    ):
        errors["accident_grade"] = _(
            "%(deaths)s deaths and %(injuries)s seriously injured make at least a “%(grade)s” accident."
        ) % {
            "deaths": deaths or 0,
            "injuries": injuries or 0,
            "grade": AccidentGrade(minimum_grade(deaths or 0, injuries or 0)).label,
        }
    return errors


# The fields ``event_rule_errors`` judges together.
EVENT_RULE_FIELDS = (
    "type",
    "petition_level",
    "higher_authority_required",
    "collective",
    "accident_grade",
    "deaths",
    "injuries",
)

# The fields of an event besides its ref and subject, in the order of events.csv.
EVENT_FIELDS = (
    "type",
    "occurred_on",
    "title",
    "petition_level",
    "higher_authority_required",
    "collective",
    "accident_grade",
    "deaths",
    "injuries",
    "status",
)


class Event(models.Model):
    """Something that happened at a subject and may break one of its zeros in the period it occurred."""

    # Unique by a constraint rather than unique=True, which on PostgreSQL adds a second, pattern-ops index
    # that no query uses and a province's import would rebuild.
    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    type = models.CharField(_("type"), max_length=16, choices=EventType.choices)
    subject = models.ForeignKey(
        Subject,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,  # the index on (subject, date) below serves lookups by subject
    )
    occurred_on = models.DateField(_("occurred on"), validators=[validate_not_in_future])
    title = models.CharField(_("title"), max_length=200)
    petition_level = models.CharField(
        _("petition level"), max_length=10, choices=PetitionLevel.choices, blank=True
    )
    higher_authority_required = models.BooleanField(_("requires a higher authority"), default=False)
    collective = models.BooleanField(_("collective petition"), default=False)
    accident_grade = models.CharField(
        _("accident grade"), max_length=16, choices=AccidentGrade.choices, blank=True
    )
    deaths = models.PositiveIntegerField(_("deaths"), default=0)
    injuries = models.PositiveIntegerField(_("seriously injured"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.REPORTED
    )
    # The hazard (隐患) an accident came from, if one was recorded at the same subject (issue 15). A hazard
    # never changes a rate; the accident does.
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("from hazard"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accidents",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [models.UniqueConstraint(fields=["ref"], name="event_ref_unique")]
        ordering = ["-occurred_on", "ref"]
        indexes = [
            models.Index(fields=["subject", "occurred_on"]),
            models.Index(fields=["occurred_on", "type"]),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):  # never "exists": the clash may be another town's record
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        errors = event_rule_errors(**{name: getattr(self, name) for name in EVENT_RULE_FIELDS})
        if self.subject_id and (
            problem := record_date_problem(self.occurred_on, joined_on=self.subject.joined_on)
        ):
            errors["occurred_on"] = problem
        if self.hazard_id:
            if self.type not in (EventType.ACCIDENT, EventType.PUBLIC_SAFETY):
                errors["hazard"] = _("Only an accident can name the hazard it came from.")
            elif self.subject_id and self.hazard.subject_id != self.subject_id:
                errors["hazard"] = _("The hazard was found at another subject.")
        if errors:
            raise ValidationError(errors)
