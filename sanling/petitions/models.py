"""Petitions (信访) worked as cases to their deadlines, the 积案 ledger, and 信访代理.

A petition case holds how it came in, the petitioner (personal data: encrypted, masked, unmasked only with
a reason), and its steps 受理 → 告知 → 办理 → 答复 → (复查 → 复核) → 终结 with the due date of each from the
county's deadline rule set. When it reaches the county level or above it records an ordinary petition event
(``event``), and policy v1 decides whether that breaks 零上访.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sanling.core.validators import REF_TAKEN, record_date_problem, validate_not_in_future, validate_ref
from sanling.disputes.models import Dispute, Satisfaction
from sanling.events.models import Event, PetitionLevel
from sanling.organisations.models import Organisation
from sanling.personal.fields import BlindIndexField, EncryptedCharField
from sanling.personal.identity import normalize_id_number, validate_id_number
from sanling.personal.masking import mask_id_number, mask_name, mask_phone
from sanling.subjects.models import Subject
from sanling.work.models import DeadlineRuleSet, WorkItem

# Levels from which a petition is a county matter (and records its event).
COUNTY_AND_ABOVE = ("county", "city", "province", "national")
LEVEL_RANK = {level: rank for rank, level in enumerate(PetitionLevel.values)}


class Channel(models.TextChoices):
    LETTER = "letter", _("Letter")  # 来信
    VISIT = "visit", _("Visit")  # 来访
    ONLINE = "online", _("Online")  # 网上
    PHONE = "phone", _("Phone")  # 电话


class VisitMode(models.TextChoices):
    """The 四访 of the seeds."""

    OPEN_DOOR = "open_door", _("Open-door reception (开门接访)")
    APPOINTMENT = "appointment", _("Invited visit (进门约访)")
    HOME_VISIT = "home_visit", _("Home visit (登门走访)")
    RETURN_VISIT = "return_visit", _("Return visit (上门回访)")


class Claim(models.TextChoices):
    UNDECIDED = "", _("Not yet judged")
    REASONABLE = "reasonable", _("Reasonable")
    UNREASONABLE = "unreasonable", _("Unreasonable")


class PetitionStep(models.TextChoices):
    RECEIVED = "received", _("Awaiting acceptance")  # 登记, 待受理
    HANDLING = "handling", pgettext_lazy("petition step", "Being handled")  # 受理并告知, 办理中
    REPLIED = "replied", _("Replied")  # 答复
    REVIEW = "review", _("Under review")  # 复查
    RE_REVIEW = "re_review", _("Under re-review")  # 复核
    CONCLUDED = "concluded", _("Concluded")  # 终结


# The steps at which each date is known: a date of a step the petition has not reached is refused.
STEP_ORDER = ("received", "handling", "replied", "review", "re_review", "concluded")
DATE_FROM_STEP = {"accepted_on": "handling", "replied_on": "replied", "concluded_on": "concluded"}


def petition_rule_errors(
    *, step: str, received_on, accepted_on, replied_on, concluded_on, collective: bool, people_count: int
) -> dict[str, str]:
    """Field -> why the step, its dates and the people do not fit together. Shared by the model and the
    importer (a ledger row names the step and the dates it reached)."""
    errors: dict[str, str] = {}
    previous = received_on
    for name, value in (
        ("accepted_on", accepted_on),
        ("replied_on", replied_on),
        ("concluded_on", concluded_on),
    ):
        if value and previous and value < previous:
            errors[name] = _("This step cannot be dated before the previous one (%(date)s).") % {
                "date": previous
            }
        previous = value or previous
    if step in STEP_ORDER:
        for name, value in (
            ("accepted_on", accepted_on),
            ("replied_on", replied_on),
            ("concluded_on", concluded_on),
        ):
            if value and STEP_ORDER.index(step) < STEP_ORDER.index(DATE_FROM_STEP[name]):
                errors.setdefault(name, _("A petition that has not reached this step has no date for it."))
        if step == "concluded" and not concluded_on:
            errors.setdefault("concluded_on", _("A concluded petition needs the date it was concluded."))
    if collective and people_count < 5:
        errors["people_count"] = _("A collective petition (集体访) is five people or more.")
    return errors


# The fields of petitions.csv besides ref and subject_code, in order.
PETITION_FIELDS = (
    "received_on",
    "channel",
    "visit_mode",
    "summary",
    "level",
    "petitioner_name",
    "petitioner_id_number",
    "petitioner_phone",
    "repeat",
    "collective",
    "people_count",
    "bypass",
    "claim",
    "step",
    "accepted_on",
    "replied_on",
    "concluded_on",
    "satisfaction",
)


class Petition(models.Model):
    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    case = models.ForeignKey(
        WorkItem, verbose_name=_("case"), on_delete=models.PROTECT, related_name="petitions"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="petitions", db_index=False
    )
    received_on = models.DateField(_("received on"), validators=[validate_not_in_future])
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    visit_mode = models.CharField(_("四访"), max_length=16, choices=VisitMode.choices, blank=True)
    summary = models.CharField(_("summary"), max_length=500)
    level = models.CharField(_("level"), max_length=10, choices=PetitionLevel.choices)
    petitioner_name = EncryptedCharField(_("petitioner"), max_length=60, blank=True, mask=mask_name)
    petitioner_id_number = EncryptedCharField(
        _("ID number"), max_length=18, blank=True, mask=mask_id_number, validators=[validate_id_number]
    )
    petitioner_id_index = BlindIndexField(source="petitioner_id_number", normalize=normalize_id_number)
    petitioner_phone = EncryptedCharField(_("phone"), max_length=24, blank=True, mask=mask_phone)
    repeat = models.BooleanField(_("repeat petition"), default=False)  # 重复访 (else 初信初访)
    collective = models.BooleanField(_("collective petition"), default=False)  # 集体访
    people_count = models.PositiveSmallIntegerField(_("people"), default=1)
    bypass = models.BooleanField(_("bypassed a level"), default=False)  # 越级
    claim = models.CharField(_("claim"), max_length=12, choices=Claim.choices, blank=True)
    step = models.CharField(
        _("step"), max_length=10, choices=PetitionStep.choices, default=PetitionStep.RECEIVED
    )
    rule_set = models.ForeignKey(
        DeadlineRuleSet, verbose_name=_("deadline rules"), null=True, blank=True, on_delete=models.PROTECT
    )
    accept_due_on = models.DateField(_("acceptance due"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    result_due_on = models.DateField(_("result due"), null=True, blank=True)
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    from_dispute = models.ForeignKey(
        Dispute,
        verbose_name=_("from dispute"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("petition event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="petition_ref_unique")]
        indexes = [models.Index(fields=["subject", "received_on"])]

    def __str__(self) -> str:
        return f"{self.ref} {self.summary[:20]}"

    def unique_error_message(self, model_class, unique_check):
        if tuple(unique_check) == ("ref",):
            return ValidationError(REF_TAKEN, code="unique")
        return super().unique_error_message(model_class, unique_check)

    def clean(self) -> None:
        errors = petition_rule_errors(
            step=self.step,
            received_on=self.received_on,
            accepted_on=self.accepted_on,
            replied_on=self.replied_on,
            concluded_on=self.concluded_on,
            collective=self.collective,
            people_count=self.people_count,
        )
        if self.subject_id and (
            problem := record_date_problem(self.received_on, joined_on=self.subject.joined_on)
        ):
            errors["received_on"] = problem
        if errors:
            raise ValidationError(errors)

    @property
    def is_county_matter(self) -> bool:
        return self.level in COUNTY_AND_ABOVE


class Backlog(models.Model):
    """积案: a case on the backlog ledger with "责任单位、责任人和化解时限" (中站区), its 包案领导 and a
    checklist whose items are the county's (数据字典 ``backlog_checklist``; the default is a common reading
    of 四定四包, which the seeds name without defining)."""

    item = models.OneToOneField(WorkItem, on_delete=models.CASCADE, related_name="backlog_entry")
    flagged_on = models.DateField(_("flagged on"))
    responsible_organisation = models.ForeignKey(
        Organisation, verbose_name=_("responsible unit"), on_delete=models.PROTECT, related_name="+"
    )
    responsible_person = models.CharField(_("responsible person"), max_length=60)
    leader = models.CharField(_("leader in charge (包案领导)"), max_length=60)
    deadline = models.DateField(_("resolve by"))
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)  # item code -> done on (ISO) or ""
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("backlog case")
        verbose_name_plural = _("backlog cases")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.responsible_person}"

    def clean(self) -> None:
        if self.deadline and self.flagged_on and self.deadline < self.flagged_on:
            raise ValidationError({"deadline": _("The deadline cannot come before the case was flagged.")})


class AgencyStep(models.TextChoices):
    """信访代理 as 中站区 runs it."""

    APPLIED = "applied", _("Applied")  # 申请
    AGENT_ASSIGNED = "agent_assigned", _("Agent assigned")  # 确定代理人
    FILED = "filed", _("Filed")  # 登记备案
    HANDLING = "handling", _("Being handled")  # 代理事项办理
    FEEDBACK = "feedback", _("Result fed back")  # 结果反馈
    CONCLUDED = "concluded", _("Concluded")  # 事项终结


AGENCY_ORDER = tuple(AgencyStep.values)


class AgencyCase(models.Model):
    """信访代理: an agent (a cadre) carries a petitioner's matter for them."""

    ref = models.CharField(_("reference"), max_length=40, validators=[validate_ref])
    case = models.ForeignKey(
        WorkItem, verbose_name=_("case"), on_delete=models.PROTECT, related_name="agency"
    )
    subject = models.ForeignKey(
        Subject, verbose_name=_("subject"), on_delete=models.PROTECT, related_name="agency_cases"
    )
    petition = models.ForeignKey(
        Petition,
        verbose_name=_("petition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_on = models.DateField(_("applied on"), validators=[validate_not_in_future])
    summary = models.CharField(_("matter"), max_length=500)
    applicant_name = EncryptedCharField(_("applicant"), max_length=60, blank=True, mask=mask_name)
    agent_name = models.CharField(_("agent"), max_length=60, blank=True)
    step = models.CharField(_("step"), max_length=16, choices=AgencyStep.choices, default=AgencyStep.APPLIED)
    higher_authority_required = models.BooleanField(_("must be decided by a higher authority"), default=False)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("agency case")
        verbose_name_plural = _("agency cases")
        ordering = ["-applied_on", "ref"]
        constraints = [models.UniqueConstraint(fields=["ref"], name="agency_case_ref_unique")]

    def __str__(self) -> str:
        return f"{self.ref} {self.summary[:20]}"
