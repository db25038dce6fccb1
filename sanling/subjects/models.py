"""Subjects of the campaign (创建主体): villages and communities, enterprises and institutions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanling.assessment.periods import earliest_date
from sanling.core.validators import REF_TAKEN, normalize_phone, validate_phone, validate_ref, validate_uscc
from sanling.departments.models import Department
from sanling.personal.fields import BlindIndexField, EncryptedCharField
from sanling.personal.masking import mask_name, mask_phone
from sanling.regions.models import Level, Region


class Kind(models.TextChoices):
    VILLAGE = "village", _("Village")
    COMMUNITY = "community", _("Community")
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Institution")


class Group(models.TextChoices):
    """The two groups every rate is reported for (村社区 / 企事业)."""

    VILLAGE = "village", _("Villages and communities")
    UNIT = "unit", _("Enterprises and institutions")


VILLAGE_KINDS = frozenset({Kind.VILLAGE, Kind.COMMUNITY})
UNIT_REGION_LEVELS = frozenset({Level.TOWN, Level.VILLAGE, Level.GRID, Level.BUILDING})


class Category(models.TextChoices):
    SCHOOL = "school", _("School")
    KINDERGARTEN = "kindergarten", _("Kindergarten")
    HOSPITAL = "hospital", _("Hospital")
    SCENIC_AREA = "scenic_area", _("Scenic area")
    MARKET = "market", _("Market or mall")
    FACTORY_MINE = "factory_mine", _("Factory or mine")
    STATION = "station", _("Station")
    AIRPORT = "airport", _("Airport")
    RELIGIOUS_VENUE = "religious_venue", _("Religious venue")
    BUSINESS_OUTLET = "business_outlet", _("Business outlet")
    OTHER = "other", _("Other")


# A subject's fields in the order the subjects file, the exporter, the importer and the services list
# them: ``code`` names it, ``PLACE_FIELDS`` say where it stands (changing them is a move), the rest
# describe it.
SUBJECT_FIELDS = (
    "code",
    "name",
    "kind",
    "category",
    "region",
    "department",
    "uscc",
    "address",
    "contact_name",
    "contact_phone",
    "joined_on",
    "retired_on",
)
PLACE_FIELDS = ("region", "department")


def group_of(kind: str) -> str:
    return Group.VILLAGE if kind in VILLAGE_KINDS else Group.UNIT


class Subject(models.Model):
    """A village, community, enterprise or institution taking part in the campaign.

    Villages and communities stand for their village node; enterprises and institutions are located at a
    town, village or grid node and supervised by one department. A subject counts only in the periods
    between ``joined_on`` and ``retired_on``.
    """

    code = models.CharField(
        _("code"), max_length=32, unique=True, validators=[validate_ref], error_messages={"unique": REF_TAKEN}
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="subjects"
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subjects",
    )
    uscc = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    # Personal data (PIPL): encrypted at rest, masked wherever shown, unmasked only through
    # ``personal.services.personal_unmask``; the phone has a blind index for search and re-import.
    contact_name = EncryptedCharField(_("contact person"), max_length=50, blank=True, mask=mask_name)
    contact_phone = EncryptedCharField(
        _("contact phone"), max_length=24, blank=True, validators=[validate_phone], mask=mask_phone
    )
    contact_phone_index = BlindIndexField(source="contact_phone", normalize=normalize_phone)
    joined_on = models.DateField(_("joined on"))
    retired_on = models.DateField(_("retired on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind__in=["village", "community"]),
                name="one_village_subject_per_node",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(retired_on__gte=models.F("joined_on")),
                name="subject_retires_after_joining",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "category"]),
            models.Index(fields=["department", "region"]),
            # Scopes join subjects by region subtree only to reach their ids (a leader's overdue cases): read
            # from the index alone, so PostgreSQL walks a county's subjects rather than scanning a province's.
            models.Index(fields=["region", "id"], name="subject_region_pk"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def group(self) -> str:
        return group_of(self.kind)

    def normalize(self) -> None:
        """Store phones and credit codes in one spelling, so re-imports compare equal."""
        if self.contact_phone:
            self.contact_phone = normalize_phone(self.contact_phone)
        if self.uscc:
            self.uscc = self.uscc.strip().upper()

    def clean(self) -> None:
        """The invariants that hold whichever way a subject is written (form, API or import)."""
        self.normalize()
        errors = subject_rule_errors(
            kind=self.kind,
            category=self.category,
            has_department=self.department_id is not None,
            region_level=self.region.level if self.region_id else None,
            joined_on=self.joined_on,
            retired_on=self.retired_on,
        )
        if errors:
            raise ValidationError(errors)


def subject_rule_errors(
    *,
    kind: str,
    category: str,
    has_department: bool,
    region_level: str | None,
    joined_on: datetime.date | None,
    retired_on: datetime.date | None,
) -> dict[str, str]:
    """Field -> why the combination of kind, category, department and region is not allowed.

    A plain function so the importer can check rows whose region is still only a code in the bundle.
    """
    errors: dict[str, str] = {}
    if kind in VILLAGE_KINDS:
        if category:
            errors["category"] = _("A village or community has no category.")
        if has_department:
            errors["department"] = _("A village or community has no supervising department.")
        if region_level and region_level != Level.VILLAGE:
            errors["region"] = _("A village or community must be tied to its village-level node.")
    elif kind:
        if not category:
            errors["category"] = _("An enterprise or institution needs a category.")
        if not has_department:
            errors["department"] = _("An enterprise or institution needs a supervising department.")
        if region_level and region_level not in UNIT_REGION_LEVELS:
            errors["region"] = _(
                "An enterprise or institution is located at a town, village, grid or building node."
            )
    if joined_on and retired_on and retired_on < joined_on:
        errors["retired_on"] = _("The retirement date cannot be earlier than the joining date.")
    if joined_on and joined_on < earliest_date():
        errors["joined_on"] = _("%(period)s is before %(year)s, the earliest year on record.") % {
            "period": joined_on.isoformat(),
            "year": earliest_date().year,
        }
    return errors


def subject_record_days_errors(
    *,
    name: str,
    joined_on: datetime.date | None,
    retired_on: datetime.date | None,
    first_record: datetime.date | None,
    last_record: datetime.date | None,
) -> dict[str, str]:
    """Field -> why a subject's dates leave out one of its events or disputes (dated ``first_record`` to
    ``last_record``): it cannot join after the first nor retire before the last. For the services and the
    importer alike, each of which reads the record days its own way."""
    errors: dict[str, str] = {}
    if joined_on and first_record and joined_on > first_record:
        errors["joined_on"] = _(
            "%(name)s has an event or dispute dated %(date)s; it cannot join after that day."
        ) % {"name": name, "date": first_record.isoformat()}
    if retired_on and last_record and retired_on < last_record:
        errors["retired_on"] = _(
            "%(name)s has an event or dispute dated %(date)s; it cannot retire before that day."
        ) % {"name": name, "date": last_record.isoformat()}
    return errors


class SubjectPlacement(models.Model):
    """Where a subject stood and who supervised it from ``valid_from`` until ``valid_to`` (exclusive).

    The open row (``valid_to`` empty) mirrors ``Subject.region``/``department``. A subject counts in a
    period at the placement it had on the period's last day (or its last active day), so its history stays
    with the old town for the periods before a move.
    """

    subject = models.ForeignKey(Subject, on_delete=models.CASCADE, related_name="placements")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("subject placement")
        verbose_name_plural = _("subject placements")
        ordering = ["subject", "valid_from"]
        indexes = [models.Index(fields=["subject", "valid_to"]), models.Index(fields=["region", "valid_to"])]
        constraints = [
            models.UniqueConstraint(
                fields=["subject"], condition=Q(valid_to__isnull=True), name="one_open_placement"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject_id}@{self.region_id} {self.valid_from}–{self.valid_to}"
