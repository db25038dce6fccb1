"""The compliance policy and the maintained rollups of 达标率."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sanling.departments.models import Department
from sanling.events.models import EventType, PetitionLevel
from sanling.regions.models import Region
from sanling.subjects.models import Category, Group

ZEROS = ("petition", "accident", "case")


class Policy(models.Model):
    """A version of the rules deciding whether each zero holds for a subject in a period.

    A period is judged by the version in force on its first day. Versions are data: a new one never
    changes figures already computed unless an operator asks for a recompute.
    """

    version = models.PositiveIntegerField(_("version"), unique=True)
    effective_from = models.DateField(_("effective from"), unique=True)
    petition_levels = models.JSONField(_("petition levels that break 零上访"))
    exempt_higher_authority = models.BooleanField(
        _("petitions requiring a higher authority do not break"), default=True
    )
    accident_types = models.JSONField(_("event types that break 零事故"))
    case_types = models.JSONField(_("event types that break 零案件"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("compliance policy")
        verbose_name_plural = _("compliance policies")
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return _("Policy version %(version)s from %(date)s") % {
            "version": self.version,
            "date": self.effective_from,
        }

    def breaking_q(self, zero: str) -> Q:
        """The events (as a filter on Event) that break ``zero`` under this policy."""
        if zero == "petition":
            q = Q(type=EventType.PETITION, petition_level__in=self.petition_levels)
            return q & Q(higher_authority_required=False) if self.exempt_higher_authority else q
        if zero == "accident":
            return Q(type__in=self.accident_types)
        return Q(type__in=self.case_types)


DEFAULT_POLICY = {
    "petition_levels": [
        PetitionLevel.COUNTY,
        PetitionLevel.CITY,
        PetitionLevel.PROVINCE,
        PetitionLevel.NATIONAL,
    ],
    "exempt_higher_authority": True,
    "accident_types": [EventType.ACCIDENT, EventType.PUBLIC_SAFETY],
    "case_types": [EventType.CRIMINAL_CASE, EventType.SECURITY_CASE],
}


class AssessedYear(models.Model):
    """A year whose rollups are maintained live. Other years are computed when asked for."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("assessed year")
        verbose_name_plural = _("assessed years")

    def __str__(self) -> str:
        return str(self.year)


class Counts(models.Model):
    """Subjects active in the period, how many hold all three zeros, and how many broke each."""

    period = models.CharField(_("period"), max_length=7)
    active = models.PositiveIntegerField(_("active subjects"), default=0)
    compliant = models.PositiveIntegerField(_("compliant subjects"), default=0)
    broke_petition = models.PositiveIntegerField(_("broke zero petitions"), default=0)
    broke_accident = models.PositiveIntegerField(_("broke zero accidents"), default=0)
    broke_case = models.PositiveIntegerField(_("broke zero cases"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.period} {self.compliant}/{self.active}"


COUNT_FIELDS = ("active", "compliant", "broke_petition", "broke_accident", "broke_case")


def rollup_key(model) -> models.ForeignKey:
    """A rollup's reference to a region or department. Rollups are derived rows that a recompute rewrites by
    the million, so they carry no database constraint (a deferred check per row) and no index of their own
    (each table's unique key starts with it or another index does); deletes still cascade through Django."""
    return models.ForeignKey(
        model, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )


class RegionRollup(Counts):
    """Counts of one group (村社区 or 企事业) in a region's whole subtree for a period."""

    region = rollup_key(Region)
    group = models.CharField(_("group"), max_length=8, choices=Group.choices)

    class Meta:
        verbose_name = _("region rollup")
        verbose_name_plural = _("region rollups")
        constraints = [
            models.UniqueConstraint(fields=["region", "period", "group"], name="region_rollup_key")
        ]
        indexes = [models.Index(fields=["period", "group"])]


class DepartmentRollup(Counts):
    """Counts of a department's units in a region's subtree (regions from the town level up)."""

    department = rollup_key(Department)
    region = rollup_key(Region)

    class Meta:
        verbose_name = _("department rollup")
        verbose_name_plural = _("department rollups")
        constraints = [
            models.UniqueConstraint(fields=["region", "period", "department"], name="department_rollup_key")
        ]
        indexes = [models.Index(fields=["department", "period"])]


class CategoryRollup(Counts):
    """Counts of one category of units in a region's subtree (regions from the town level up)."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    region = rollup_key(Region)

    class Meta:
        verbose_name = _("category rollup")
        verbose_name_plural = _("category rollups")
        constraints = [
            models.UniqueConstraint(fields=["region", "period", "category"], name="category_rollup_key")
        ]


class DisputeRollup(models.Model):
    """Disputes registered in the period in a region's subtree and how many of them are resolved."""

    region = rollup_key(Region)
    period = models.CharField(_("period"), max_length=7)
    registered = models.PositiveIntegerField(_("registered"), default=0)
    resolved = models.PositiveIntegerField(_("resolved"), default=0)

    class Meta:
        verbose_name = _("dispute rollup")
        verbose_name_plural = _("dispute rollups")
        constraints = [models.UniqueConstraint(fields=["region", "period"], name="dispute_rollup_key")]

    def __str__(self) -> str:
        return f"{self.period} {self.resolved}/{self.registered}"
