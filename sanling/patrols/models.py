"""巡防 (patrol teams, shifts and logs).

The seeds' 郾城区 沙北: "王大爷所说的巡逻队是社区“守护”治安巡逻队,由社区民警、辅警、警务助理、社区干部、网格员及热心群众
组成" and "为最大限度提高群众见警率,巡逻队实行分班制,24小时在社区巡逻。白天,入户宣传扫黑除恶、防火减灾、防电信诈骗等治安
防范工作;夜晚,提醒群众锁好车辆、关好门窗、注意用电安全等。" A team works a region in shifts; each patrol is a log with its
route, its 四防 type (“四防行动”(人防、技防、物防、心防)), how many residents met the patrol (见警) and what it found. A finding
can open a hazard or a dispute, which then lives its own case.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_ref
from sanling.regions.models import Region

# The longest one patrol may last. Our bound, not the seeds': a patrol is a shift ("巡逻队实行分班制,24小时在社区
# 巡逻" by turns), so a log of days is a mistyped date (a month picked wrong on a phone inflated 巡逻时长 700 h).
PATROL_MAX_HOURS = 24


class TeamKind(models.TextChoices):
    GUARD = "guard", _("守护 team (24 hours, in shifts)")
    JOINT = "joint", _("Police and residents' joint patrol")
    VOLUNTEER = "volunteer", _("Volunteer patrol (群防群治)")


class PatrolTeam(models.Model):
    """A patrol team working a region (a community, or a town's communities): who it is made of and whether
    it still patrols."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TeamKind.choices, default=TeamKind.GUARD)
    members = models.CharField(_("members"), max_length=500, blank=True)
    member_count = models.PositiveIntegerField(_("number of members"), default=0)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("patrol team")
        verbose_name_plural = _("patrol teams")
        ordering = ["region__path", "name"]

    def __str__(self) -> str:
        return self.name


class PatrolShift(models.Model):
    """A shift of a team (白班, 夜班): a night shift may run past midnight, so only start = end is refused."""

    team = models.ForeignKey(
        PatrolTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="shifts"
    )
    name = models.CharField(_("name"), max_length=40)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        verbose_name = _("patrol shift")
        verbose_name_plural = _("patrol shifts")
        ordering = ["team", "starts_at"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="patrol_shift_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"

    @property
    def region(self) -> Region:
        """Where it belongs (its team's region), so the audit trail files it there."""
        return self.team.region

    def clean(self) -> None:
        if self.starts_at is not None and self.starts_at == self.ends_at:
            raise ValidationError({"ends_at": _("A shift must end at another time than it starts.")})


class PatrolLog(models.Model):
    """One patrol: where and when, its 四防 type, who went, how many residents it met (见警) and what it
    found. ``hazard`` or ``dispute`` is the case a finding opened."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    team = models.ForeignKey(
        PatrolTeam, verbose_name=_("team"), on_delete=models.PROTECT, related_name="logs"
    )
    shift = models.ForeignKey(
        PatrolShift,
        verbose_name=_("shift"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(Region, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"))
    ended_at = models.DateTimeField(_("ended at"))
    route = models.CharField(_("route or area"), max_length=500)
    defence_type = models.CharField(_("type (四防)"), max_length=40)
    participants = models.PositiveIntegerField(_("patrollers"), default=1)
    residents_contacted = models.PositiveIntegerField(_("residents met (见警)"), default=0)
    findings = models.TextField(pgettext_lazy("patrol log", "findings"), max_length=4000, blank=True)
    hazard = models.ForeignKey(
        "hazards.Hazard",
        verbose_name=_("hazard opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    dispute = models.ForeignKey(
        "disputes.Dispute",
        verbose_name=_("dispute opened"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("patrol log")
        verbose_name_plural = _("patrol logs")
        ordering = ["-started_at", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="patrol_log_ref_unique")]
        indexes = [models.Index(fields=["region", "started_at"])]

    def __str__(self) -> str:
        return self.ref

    @property
    def hours(self) -> float:
        return round((self.ended_at - self.started_at).total_seconds() / 3600, 2)

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        errors = {}
        if self.started_at and self.ended_at and self.ended_at <= self.started_at:
            errors["ended_at"] = _("A patrol must end after it started.")
        elif (
            self.started_at
            and self.ended_at
            and self.ended_at - self.started_at > datetime.timedelta(hours=PATROL_MAX_HOURS)
        ):
            errors["ended_at"] = _(
                "A patrol lasts at most %(hours)s hours (one shift); check the start and end dates."
            ) % {"hours": PATROL_MAX_HOURS}
        # The importer's earliest date (``SANLING_EARLIEST_YEAR``), as for every dated record.
        if self.started_at and (
            problem := record_date_problem(timezone.localtime(self.started_at).date(), joined_on=None)
        ):
            errors["started_at"] = problem
        if self.team_id and self.region_id and not self.region.path.startswith(self.team.region.path):
            errors["region"] = _("The area must lie in the team's region.")
        if self.shift_id and self.team_id and self.shift.team_id != self.team_id:
            errors["shift"] = _("The shift is not one of this team's.")
        if errors:
            raise ValidationError(errors)
