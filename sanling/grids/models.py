"""网格与岗位: the grid as the seeds draw it.

"全镇划分为东、南、西、中4个一级网格，指派班子成员担任网格长" (商桥镇): a town may group its villages into
sectors (片区, its 一级网格); the grids themselves are regions (level ``grid``, nested in grids for 二级/三级,
and ``building`` for 楼宇). A post is who holds which post (网格长, 网格员, 楼栋长, 驻村民警 …) where, from
when until when; what each grid must have filled is data (``PostRequirement``).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import validate_phone, validate_ref
from sanling.personal.fields import EncryptedCharField
from sanling.personal.masking import mask_phone


class Sector(models.Model):
    """A town's 片区 (its 一级网格): a named group of its villages, led by a 班子成员 through a post."""

    code = models.CharField(pgettext_lazy("grids", "code"), max_length=40, validators=[validate_ref])
    name = models.CharField(pgettext_lazy("grids", "name"), max_length=100)
    town = models.ForeignKey(
        "regions.Region",
        verbose_name=pgettext_lazy("grids", "town"),
        on_delete=models.PROTECT,
        related_name="sectors",
        limit_choices_to={"level": "town"},
    )
    villages = models.ManyToManyField(
        "regions.Region",
        verbose_name=pgettext_lazy("grids", "villages"),
        related_name="sectors_of_village",
        blank=True,
    )
    version = models.PositiveIntegerField(pgettext_lazy("grids", "version"), default=1, editable=False)

    class Meta:
        verbose_name = _("sector (片区)")
        verbose_name_plural = _("sectors (片区)")
        ordering = ["town", "code"]
        constraints = [models.UniqueConstraint(fields=["town", "code"], name="grids_sector_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self):
        """Where the audit trail files a sector: its town."""
        return self.town

    def clean(self) -> None:
        if self.town_id and self.town.level != "town":
            raise ValidationError({"town": _("A sector belongs to a town.")})


class Post(models.Model):
    """Who holds which post where: a 网格长 of a grid, a 楼栋长 of a building, the 驻村民警 of a village,
    the 一级网格长 of a sector (``sector`` set, ``region`` its town). Active while ``ended_on`` is empty or
    later than the day asked about."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=pgettext_lazy("grids", "region"),
        on_delete=models.PROTECT,
        related_name="posts",
    )
    sector = models.ForeignKey(
        Sector,
        verbose_name=_("sector (片区)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    post_type = models.CharField(
        pgettext_lazy("grids", "post"), max_length=40
    )  # a code of the dictionary list post_type
    holder_name = models.CharField(pgettext_lazy("grids", "holder"), max_length=50)
    phone = EncryptedCharField(
        pgettext_lazy("grids", "phone"),
        max_length=24,
        blank=True,
        mask=mask_phone,
        validators=[validate_phone],
    )  # personal data
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("grids", "login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="grid_posts",
    )
    started_on = models.DateField(pgettext_lazy("grids", "started on"))
    ended_on = models.DateField(pgettext_lazy("grids", "ended on"), null=True, blank=True)
    version = models.PositiveIntegerField(pgettext_lazy("grids", "version"), default=1, editable=False)
    created_at = models.DateTimeField(pgettext_lazy("grids", "created at"), auto_now_add=True)
    updated_at = models.DateTimeField(pgettext_lazy("grids", "updated at"), auto_now=True)

    class Meta:
        verbose_name = pgettext_lazy("grids", "post")
        verbose_name_plural = pgettext_lazy("grids", "posts")
        ordering = ["region", "post_type", "started_on", "pk"]
        indexes = [
            models.Index(fields=["region", "post_type"]),
            models.Index(fields=["user", "ended_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.post_type} {self.holder_name}"

    @property
    def ref(self) -> str:
        """How the audit trail and the API name a post: its place, its type and its number."""
        return f"{self.region.code}-{self.post_type}-{self.pk}"

    def clean(self) -> None:
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A post cannot end before it started.")
        if self.sector_id and self.region_id and self.sector.town_id != self.region_id:
            errors["sector"] = _("A sector's post is placed at the sector's town.")
        if errors:
            raise ValidationError(errors)


class PostRequirement(models.Model):
    """A post that every region of ``level`` (and ``tier``, if set) must have filled, in ``region``'s
    subtree (everywhere if empty); a grid missing one is flagged. The defaults (网格长 and 网格员 in every
    grid, 楼栋长 in every 楼宇) are ours, read from the seeds' "一长两员"/"一长三员" and 楼栋长."""

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=pgettext_lazy("grids", "applies in"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="post_requirements",
    )
    level = models.CharField(
        pgettext_lazy("grids", "level"), max_length=10
    )  # regions.Level value: grid, building, village …
    tier = models.PositiveSmallIntegerField(
        pgettext_lazy("grids", "tier"), null=True, blank=True
    )  # grid tier; empty: any
    post_type = models.CharField(pgettext_lazy("grids", "post"), max_length=40)
    minimum = models.PositiveSmallIntegerField(pgettext_lazy("grids", "at least"), default=1)

    class Meta:
        verbose_name = _("required post")
        verbose_name_plural = _("required posts")
        ordering = ["level", "tier", "post_type"]

    def __str__(self) -> str:
        return f"{self.level}/{self.tier or '*'}: {self.post_type} ≥ {self.minimum}"
