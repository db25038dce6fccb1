"""Community meetings (议事会, 动员会, 推进会): who attended by participant category, the minutes, and the
problems raised, each of which may open a dispute case or a hazard.

The seeds' 龙塔街道: "引导社区推行“510”圆桌议事会(“5”即党员代表、居民代表、网格员、网格长和街道干部,“10”即每月召开一次
会议,“0”即实现党群关系零距离)制度". A kind of meeting has a rule (``MeetingKindRule``: how often, which participant
categories must attend); a community that has adopted a kind with a monthly rule (``MeetingAdoption``) and
holds none in a month is flagged.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_ref
from sanling.regions.models import Region


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    NONE = "none", _("As needed")


class ParticipantCategory(models.TextChoices):
    """Who sits at the table: the 510's "5" first, then those the seeds say joined them ("人大代表、政协委员、
    市直单位工作人员也加入进来")."""

    PARTY_MEMBER = "party_member", _("Party member representative")  # 党员代表
    RESIDENT = "resident", _("Resident representative")  # 居民代表
    GRID_MEMBER = "grid_member", _("Grid member")  # 网格员
    GRID_HEAD = "grid_head", _("Grid head")  # 网格长
    STREET_CADRE = "street_cadre", _("Street (town) cadre")  # 街道干部
    DEPUTY = "deputy", _("People's congress deputy or CPPCC member")  # 人大代表、政协委员
    DEPARTMENT = "department", _("Department staff")  # 职能部门工作人员
    OTHER = "other", _("Other")


class MeetingKindRule(models.Model):
    """The rule of one meeting kind (a code of the dictionary list ``meeting_kind``): how often a community
    that adopted it must hold it, at which level, and which participant categories must attend."""

    kind = models.CharField(_("kind"), max_length=40, unique=True)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.NONE
    )
    level = models.CharField(_("level"), max_length=10, default="village")
    participant_categories = models.JSONField(_("required participant categories"), default=list, blank=True)

    class Meta:
        verbose_name = _("meeting rule")
        verbose_name_plural = _("meeting rules")
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.kind

    def clean(self) -> None:
        known = set(ParticipantCategory.values)
        if not isinstance(self.participant_categories, list) or not set(self.participant_categories) <= known:
            raise ValidationError({"participant_categories": _("Name participant categories of the list.")})


class MeetingAdoption(models.Model):
    """A community (or village) holds a kind of meeting from ``since`` on; with a monthly rule, each month
    from then on without one is flagged."""

    region = models.ForeignKey(
        Region, verbose_name=_("community"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    since = models.DateField(_("since"))

    class Meta:
        verbose_name = _("meeting adoption")
        verbose_name_plural = _("meeting adoptions")
        constraints = [models.UniqueConstraint(fields=["region", "kind"], name="meeting_adoption_unique")]

    def __str__(self) -> str:
        return f"{self.region} {self.kind}"


class Meeting(models.Model):
    """One meeting held in a community: its kind, date, place and minutes."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    region = models.ForeignKey(
        Region, verbose_name=_("community"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=40)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    minutes = models.TextField(_("minutes"), max_length=10000, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="meeting_ref_unique")]
        indexes = [models.Index(fields=["region", "kind", "held_on"])]

    def __str__(self) -> str:
        return self.ref

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        # The earliest year on record, as every dated record and the bundle importer (``record_date_problem``).
        if problem := record_date_problem(self.held_on, joined_on=None):
            raise ValidationError({"held_on": problem})


class Attendance(models.Model):
    """One participant of a meeting: their category, and the post or subject they came for if known."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendance"
    )
    category = models.CharField(_("participant category"), max_length=20, choices=ParticipantCategory.choices)
    post = models.ForeignKey(
        "grids.Post",
        verbose_name=pgettext_lazy("meeting attendance", "post"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("subject"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    present = models.BooleanField(_("present"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "category", "pk"]

    def __str__(self) -> str:
        return self.name


class MeetingProblem(models.Model):
    """A problem raised at a meeting; it may open a dispute case or a hazard."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="problems"
    )
    text = models.CharField(_("problem"), max_length=1000)
    dispute = models.ForeignKey(
        "disputes.Dispute",
        verbose_name=_("dispute opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("hazard opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting problem")
        verbose_name_plural = _("meeting problems")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def region(self) -> Region:
        """Where it belongs (its meeting's community), so the audit trail files it there."""
        return self.meeting.region
