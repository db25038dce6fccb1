"""The administrative region tree: province > city > county > town > village > grid."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"
ADMIN_CODE = re.compile(r"^\d{12}$")
GRID_CODE = re.compile(r"^\d{13,18}$")


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town / street")
    VILLAGE = "village", _("Village / community")
    GRID = "grid", _("Grid")
    BUILDING = "building", _("Building (楼宇)")

    @property
    def rank(self) -> int:
        return LEVEL_RANK[self.value]

    @property
    def parent_level(self) -> "Level | None":
        rank = self.rank
        return Level(LEVEL_ORDER[rank - 1]) if rank > 0 else None


LEVEL_ORDER = [level.value for level in Level]
LEVEL_RANK = {value: rank for rank, value in enumerate(LEVEL_ORDER)}


def make_path(parent_path: str, code: str) -> str:
    """The stored ancestor path of a node: ``/<root code>/…/<own code>/``."""
    return f"{parent_path or PATH_SEPARATOR}{code}{PATH_SEPARATOR}"


def subtree_q(path: str, *, via: str = "") -> models.Q:
    """The condition "lies in the subtree whose root has ``path``" (the root included), on regions or, with
    ``via`` (e.g. ``"subject__region__"``), on what points at one: one indexed prefix filter, no walk."""
    return models.Q(**{f"{via}path__startswith": path})


def codes_in_path(path: str) -> list[str]:
    return [code for code in path.split(PATH_SEPARATOR) if code]


# Grids and buildings (楼宇) sit under a village or under a grid: 二级/三级 grids nest in grids, and a
# 楼宇 hangs under a community or one of its grids (郾城区's "区、镇（街道）、村（社区）、楼宇、网格“五级联动”").
BELOW_VILLAGE_LEVELS = ("grid", "building")
BELOW_VILLAGE_PARENTS = {"grid": ("village", "grid"), "building": ("village", "grid")}


def village_code_of(parent_code: str | None) -> str | None:
    """The village code a grid or building under ``parent_code`` must start with: the parent's own code
    if it is a village (12 digits), else the first 12 digits of the grid it hangs under."""
    return parent_code[:12] if parent_code else None


def region_code_error(code: str, level: str, parent_code: str | None) -> str | None:
    """Why ``code`` is not a valid code for a node of ``level`` under ``parent_code``, or None."""
    if level in BELOW_VILLAGE_LEVELS:
        if not GRID_CODE.match(code):
            return _(
                "A grid code is 13 to 18 digits: its village's 12-digit code followed by its own number."
            )
        village_code = village_code_of(parent_code)
        if village_code and not code.startswith(village_code):
            return _("A grid code must start with its village's code %(parent)s.") % {"parent": village_code}
    elif not ADMIN_CODE.match(code):
        return _("A region code is the 12-digit statistical division code (统计用区划代码).")
    return None


def grid_outside_error(grid: "Region", place: "Region") -> str | None:
    """Why ``grid`` cannot be the grid a record at ``place`` (a subject's region) was found in, or None: it
    must be a grid or 楼宇 of the place's village (or, for a place at a town or above, of its subtree)."""
    if grid.level not in BELOW_VILLAGE_LEVELS:
        return _("Choose a grid or building.")
    if place.level in (Level.VILLAGE, *BELOW_VILLAGE_LEVELS):
        village_code = place.code[:12]
        if f"{PATH_SEPARATOR}{village_code}{PATH_SEPARATOR}" not in grid.path:
            return _("This grid is not in the village of %(place)s.") % {"place": place.name}
    elif not grid.path.startswith(place.path):
        return _("This grid is not in %(place)s.") % {"place": place.name}
    return None


def level_order_error(level: str, parent_level: str | None) -> str | None:
    """Why a node of ``level`` cannot hang under a node of ``parent_level``, or None.

    A node without a parent may be of any level, so a county can run the platform with the county as root.
    """
    if not parent_level or parent_level not in LEVEL_RANK:
        return None  # no parent, or a parent whose own row is wrong and reported there
    if level in BELOW_VILLAGE_PARENTS:
        if parent_level in BELOW_VILLAGE_PARENTS[level]:
            return None
        return _("A %(level)s cannot be placed under a %(parent)s; its parent must be a %(expected)s.") % {
            "level": Level(level).label,
            "parent": Level(parent_level).label,
            "expected": _("village or grid"),
        }
    expected = Level(level).parent_level
    if expected is None or expected.value != parent_level:
        return _("A %(level)s cannot be placed under a %(parent)s; its parent must be a %(expected)s.") % {
            "level": Level(level).label,
            "parent": Level(parent_level).label,
            "expected": expected.label if expected else _("(no parent)"),
        }
    return None


class Region(models.Model):
    """A node of the region tree. ``path`` holds the codes of all ancestors and the node itself, so a
    subtree is one indexed prefix filter and the ancestors are one ``code__in`` filter."""

    code = models.CharField(_("code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(_("path"), max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    placed_on = models.DateField(_("placed on"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        parent_level = self.parent.level if self.parent_id else None
        errors = {}
        if error := region_code_error(self.code, self.level, self.parent.code if self.parent_id else None):
            errors["code"] = error
        if error := level_order_error(self.level, parent_level):
            errors["parent"] = error
        if errors:
            raise ValidationError(errors)

    def set_path(self) -> None:
        self.path = make_path(self.parent.path if self.parent_id else "", self.code)
        self.depth = len(codes_in_path(self.path)) - 1

    @property
    def ancestor_codes(self) -> list[str]:
        return codes_in_path(self.path)[:-1]


class RegionHistory(models.Model):
    """Where a node was before a move (村改居, 撤并): its parent and path from ``valid_from`` until
    ``valid_to`` (exclusive). The current placement is the one on the region itself."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="history")
    parent = models.ForeignKey(Region, null=True, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=255)
    valid_from = models.DateField(null=True)
    valid_to = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("region history")
        verbose_name_plural = _("region history")
        ordering = ["region", "valid_to"]
        indexes = [models.Index(fields=["region", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.region} @ {self.path} until {self.valid_to}"


class RegionBoundary(models.Model):
    """The outline of a region for the dashboard map: a GeoJSON geometry (Polygon or MultiPolygon)."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="boundary")
    geometry = models.JSONField()

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")

    def __str__(self) -> str:
        return str(self.region)
