"""重点人群 and their visits.

浉河区: "对精神障碍患者、社区矫正人员等，要做到逐人见面，回访排查，防止出现肇事肇祸、再次犯罪等案事件。"

A key person lives in a village (or a grid or 楼宇 of it), belongs to a category of the dictionary list
``key_person_category`` and has a risk level; how often they must be seen is data a county edits
(``VisitFrequency``). Each person has one work item (kind ``key_visit``) whose due date is their next visit, so
我的待办, the overdue lists and the reminders read them as every other case. Their identity is sensitive
personal information (PIPL): encrypted at rest, masked wherever shown, unmasked only through
``personal.services.personal_unmask``.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import record_date_problem, validate_ref
from sanling.personal.fields import BlindIndexField, EncryptedCharField
from sanling.personal.identity import normalize_id_number, validate_id_number
from sanling.personal.masking import mask_id_number, mask_name, mask_phone
from sanling.regions.models import Region
from sanling.work.deadlines import PeriodUnit
from sanling.work.models import WorkItem

# Where a key person may be placed: a village or community, or a grid or 楼宇 inside one.
PERSON_LEVELS = ("village", "grid", "building")
# The longest interval between two visits, by unit.
MAX_FREQUENCY = {PeriodUnit.DAYS: 365, PeriodUnit.MONTHS: 12}
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8})$")


class RiskLevel(models.TextChoices):
    LOW = "low", pgettext_lazy("key people", "Low risk")
    MEDIUM = "medium", pgettext_lazy("key people", "Medium risk")
    HIGH = "high", pgettext_lazy("key people", "High risk")


class KeyVisitStep(models.TextChoices):
    """The steps of a key person's work item: waiting for the next visit, or no longer managed."""

    DUE = "due", pgettext_lazy("key people", "Visit due")
    RELEASED = "released", pgettext_lazy("key people", "No longer managed")


def validate_person_phone(value: str) -> None:
    """An 11-digit mobile or a landline with its area code; the error shows the number masked."""
    if not PHONE.match(re.sub(r"[\s()（）]", "", value or "")):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid phone number: use an 11-digit mobile or a landline with its area code."
            ),
            code="invalid_phone",
            params={"value": mask_phone(value)},
        )


def mask_address(address: str) -> str:
    """The first four characters (the village, usually) and stars: where to go, not which door."""
    address = address.strip()
    if len(address) <= 4:
        return "*" * len(address)
    return address[:4] + "*" * min(len(address) - 4, 8)


class VisitFrequency(models.Model):
    """How often a person of a category and risk level is visited: every ``amount`` days or calendar
    months. A row with no county is the deployment's default; a county's own row wins for its people.

    The defaults (migration 0002) are ours, not the seeds': 高风险 every 7 days, 中风险 every month,
    低风险 every 3 months, for every category."""

    county = models.ForeignKey(
        Region,
        verbose_name=pgettext_lazy("key people", "county"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="key_visit_frequencies",
    )
    category = models.CharField(_("category"), max_length=40)  # a code of key_person_category
    risk_level = models.CharField(
        pgettext_lazy("key people", "risk level"), max_length=8, choices=RiskLevel.choices
    )
    amount = models.PositiveSmallIntegerField(pgettext_lazy("key people", "every"))
    unit = models.CharField(_("unit"), max_length=8, choices=PeriodUnit.choices)

    class Meta:
        verbose_name = pgettext_lazy("key people", "visit frequency")
        verbose_name_plural = pgettext_lazy("key people", "visit frequencies")
        ordering = ["county", "category", "risk_level"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "category", "risk_level"], name="key_visit_frequency_unique"
            ),
            models.UniqueConstraint(
                fields=["category", "risk_level"],
                condition=models.Q(county__isnull=True),
                name="key_visit_frequency_default_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=1),
                name="key_visit_frequency_positive",
                violation_error_message=pgettext_lazy(
                    "key people", "A visit frequency is at least 1 day or 1 month."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category} {self.risk_level}: {self.amount} {self.unit}"

    def clean(self) -> None:
        """Every 1–365 days or every 1–12 months: the bounds the page shows, kept by every writer (a
        mistyped 99999999 days would put the next visit past the calendar's end)."""
        if self.amount is None:
            return
        high = MAX_FREQUENCY.get(self.unit)
        if high is not None and not 1 <= self.amount <= high:
            raise ValidationError(
                {"amount": pgettext_lazy("key people", "Visit every 1 to 365 days, or every 1 to 12 months.")}
            )


class KeyPerson(models.Model):
    """One person of a key population (重点人员), placed in a village, grid or 楼宇, with the post
    responsible for seeing them and the work item that holds their next visit."""

    ref = models.CharField(_("reference"), max_length=40, unique=True, validators=[validate_ref])
    region = models.ForeignKey(
        Region,
        verbose_name=pgettext_lazy("key people", "village or grid"),
        on_delete=models.PROTECT,
        related_name="key_people",
    )
    category = models.CharField(_("category"), max_length=40)  # a code of key_person_category
    risk_level = models.CharField(
        pgettext_lazy("key people", "risk level"),
        max_length=8,
        choices=RiskLevel.choices,
        default=RiskLevel.MEDIUM,
    )
    # Personal data (PIPL, sensitive): encrypted at rest, masked wherever shown.
    name = EncryptedCharField(_("name"), max_length=60, mask=mask_name)
    id_number = EncryptedCharField(
        _("ID number"), max_length=18, blank=True, mask=mask_id_number, validators=[validate_id_number]
    )
    id_index = BlindIndexField(source="id_number", normalize=normalize_id_number)
    phone = EncryptedCharField(
        _("phone"), max_length=24, blank=True, mask=mask_phone, validators=[validate_person_phone]
    )
    address = EncryptedCharField(_("address"), max_length=120, blank=True, mask=mask_address)
    # The post responsible for seeing the person (网格员, 驻村民警 …); its login, if any, is the handler of the
    # work item, so the visits due are in that worker's 我的待办. Without a post, ``handler`` says who.
    post = models.ForeignKey(
        "grids.Post",
        verbose_name=_("responsible post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_people",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("key people", "responsible worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_people",
    )
    registered_on = models.DateField(_("registered on"))
    active = models.BooleanField(pgettext_lazy("key people", "managed"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    case = models.OneToOneField(
        WorkItem, verbose_name=_("case"), on_delete=models.PROTECT, related_name="key_person"
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("key people", "key person")
        verbose_name_plural = pgettext_lazy("key people", "key people")
        ordering = ["ref"]
        indexes = [models.Index(fields=["region", "category"], name="key_person_region_category")]

    def __str__(self) -> str:
        return self.ref  # never the name: __str__ ends up in logs and the audit trail

    def clean(self) -> None:
        if self.region_id and self.region.level not in PERSON_LEVELS:
            raise ValidationError(
                {"region": _("A key person is placed in a village, community, grid or building.")}
            )
        if problem := record_date_problem(self.registered_on, joined_on=None):
            raise ValidationError({"registered_on": problem})


class KeyPersonVisit(models.Model):
    """One visit (回访) to a key person: when, face to face or not, where, what was found, by whom."""

    person = models.ForeignKey(
        KeyPerson,
        verbose_name=pgettext_lazy("key people", "key person"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(pgettext_lazy("key people", "visited on"))
    face_to_face = models.BooleanField(pgettext_lazy("key people", "face to face"), default=True)
    place = models.CharField(pgettext_lazy("key people", "place"), max_length=100, blank=True)
    findings = models.TextField(pgettext_lazy("key people", "findings"), max_length=2000, blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("key people", "visitor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post = models.ForeignKey(
        "grids.Post",
        verbose_name=pgettext_lazy("key people", "post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )  # the post the visitor visited as
    was_due_on = models.DateField(
        pgettext_lazy("key people", "was due on"), null=True, blank=True
    )  # the due date this visit met
    next_due_on = models.DateField(pgettext_lazy("key people", "next visit due"), null=True, blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("key-person visit")
        verbose_name_plural = _("key-person visits")
        ordering = ["person", "-visited_on", "-pk"]
        indexes = [models.Index(fields=["visited_on", "person"], name="key_visit_on")]

    def __str__(self) -> str:
        return f"{self.person.ref} {self.visited_on}"

    def clean(self) -> None:
        # The earliest year on record, as every dated record and the bundle importer (``record_date_problem``).
        if problem := record_date_problem(self.visited_on, joined_on=None):
            raise ValidationError({"visited_on": problem})

    @property
    def on_time(self) -> bool:
        return self.was_due_on is None or self.visited_on <= self.was_due_on

    @property
    def region(self) -> Region:  # where the audit trail files the visit
        return self.person.region
