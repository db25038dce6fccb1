"""走访 (household visits) and coverage.

郾城区: "常态化开展“六促六防”专项行动，出动党员干部6万余人次，深入群众家中走访……截至目前，该区共走访6万余户，
累计走访13万余人次". A ``HouseholdVisit`` is one visit to one household (its 门牌/户号, normalised so the same
household counts once); ``HouseholdCount`` is how many households a region has (entered or imported), so
the households visited are a share of them (覆盖率).
"""

import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from sanling.core.validators import record_date_problem, validate_not_in_future, validate_ref
from sanling.regions.models import Region

# Where a household stands: a village (community), a grid in it, or a building (楼宇) of the grids helper.
HOUSEHOLD_LEVELS = ("village", "grid", "building")
HOUSEHOLD_MAX = 60
# The most people one household visit may count (人次). Our bound, not a rule of the seeds: a household is a
# family, and a mistyped 100000 would nearly double a county's ~127,000 person-visits.
PERSONS_MET_MAX = 50
_SPACES = re.compile(r"\s+")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "―": "-", "‐": "-", "_": "-", "#": "号"})


def normalise_household(text: str) -> str:
    """A household's number as one spelling: full-width digits and letters folded (NFKC), spaces dropped,
    dashes unified, letters upper-case, so "３组 12号" and "3组12号" are one household."""
    folded = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return _SPACES.sub("", folded).upper()


def household_key(region_code: str, household: str) -> str:
    """The household as counted: its region's code and its normalised number (unique across the tree)."""
    return f"{region_code}:{normalise_household(household)}"


def persons_met_too_many() -> str:
    """What a visit counting more people than ``PERSONS_MET_MAX`` says (pages, API, bulk writes, importer)."""
    return str(
        _("One household visit meets at most %(max)s people; check the number typed.")
        % {"max": PERSONS_MET_MAX}
    )


class HouseholdCount(models.Model):
    """How many households (and residents) a region has, as of a day: the denominator of 覆盖率. A count
    covers the region's whole subtree; where a region and one below it are both counted, the higher one is
    used (see ``figures.households_in``)."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="household_counts"
    )
    households = models.PositiveIntegerField(_("households"), validators=[MinValueValidator(1)])
    residents = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    as_of = models.DateField(_("as of"), validators=[validate_not_in_future])
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household count")
        verbose_name_plural = _("household counts")
        ordering = ["region__path", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["region", "as_of"], name="visits_household_count_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.as_of}: {self.households}"

    def clean(self) -> None:
        if self.residents is not None and self.households and self.residents < self.households:
            raise ValidationError({"residents": _("A region cannot have fewer residents than households.")})


class HouseholdVisit(models.Model):
    """One visit to one household: where (village, grid or building), which household, when, under which
    theme (数据字典 ``visit_theme``: 六促六防 …), how many people were met (人次), by whom, and what was
    found. A finding can become a dispute (``dispute``)."""

    ref = models.CharField(_("reference"), max_length=40, unique=True, validators=[validate_ref])
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="household_visits"
    )
    household = models.CharField(_("household (house number)"), max_length=HOUSEHOLD_MAX)
    household_key = models.CharField(max_length=80, editable=False, db_index=True)
    visited_on = models.DateField(_("visited on"), validators=[validate_not_in_future])
    theme = models.CharField(_("theme"), max_length=40)
    persons_met = models.PositiveIntegerField(_("persons met"), default=1, validators=[MinValueValidator(1)])
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visitor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    visitor_name = models.CharField(_("visitor's name"), max_length=60, blank=True)
    # The grid post the visit was made in (网格员, 楼栋长 …): given, or the visitor's own post covering the place.
    post = models.ForeignKey(
        "grids.Post",
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="household_visits",
    )
    findings = models.TextField(_("findings"), blank=True)
    dispute = models.ForeignKey(
        "disputes.Dispute",
        verbose_name=_("dispute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household visit")
        verbose_name_plural = _("household visits")
        ordering = ["-visited_on", "-pk"]
        # A subtree's figures look up each of its regions, then a date range inside it.
        indexes = [models.Index(fields=["region", "visited_on"], name="visits_visit_region_day")]

    def __str__(self) -> str:
        return self.ref

    def clean(self) -> None:
        errors = {}
        self.household = normalise_household(self.household)
        if not self.household:
            errors["household"] = _("Give the household's house number (门牌号 or 户号).")
        if self.region_id:
            if self.region.level not in HOUSEHOLD_LEVELS:
                errors["region"] = _(
                    "A household stands in a village (community), a grid or a building, not in a %(level)s."
                ) % {"level": self.region.get_level_display()}
            self.household_key = household_key(self.region.code, self.household)
        if self.persons_met is not None and self.persons_met > PERSONS_MET_MAX:
            errors["persons_met"] = persons_met_too_many()
        # The importer's earliest date (``SANLING_EARLIEST_YEAR``), so an exported bundle always re-imports.
        if problem := record_date_problem(self.visited_on, joined_on=None):
            errors["visited_on"] = problem
        if errors:
            raise ValidationError(errors)
