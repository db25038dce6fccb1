"""Writes of the 四色预警: rule-set versions (never overlapping), their rules, consequences and region
thresholds, and the 关注名单. Every write takes the writer's ``scope`` (None at the shell and in the demo):
rules are the county administrator's (``Scope.can_set_rules``); a bad value is refused in Chinese and nothing
is written; every write is audited.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit
from sanling.subjects.models import Group, Subject

from .conditions import CONDITIONS, validate_parameters
from .models import COLOUR_NAMES, Colour, Consequence, RegionThreshold, Rule, RuleSet, WatchEntry
from .selectors import COLOURS

GROUP_NAMES = {Group.VILLAGE: "村社区", Group.UNIT: "企事业"}


def _check_rules(scope: Scope | None) -> None:
    if scope is not None and not scope.can_set_rules:
        raise PermissionDenied("只有县级管理员可以修改预警规则。")


def _span(start: datetime.date, end: datetime.date | None) -> str:
    return f"{start.isoformat()} 至 {end.isoformat() if end else '长期'}"


def check_no_overlap(valid_from: datetime.date, valid_to: datetime.date | None, *, exclude=()) -> None:
    """Refuse a period that ends before it starts or overlaps another version's, in Chinese."""
    if valid_to is not None and valid_to < valid_from:
        raise ValidationError({"valid_to": "规则版本的截止日期不能早于起始日期。"})
    others = RuleSet.objects.exclude(pk__in=[pk for pk in exclude if pk]).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
    )
    if valid_to is not None:
        others = others.filter(valid_from__lte=valid_to)
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            {
                "valid_from": f"规则版本的有效期与“{clash.name}”（{_span(clash.valid_from, clash.valid_to)}）重叠，"
                "请调整起止日期。"
            }
        )


@transaction.atomic
def rule_set_create(
    *,
    name: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None = None,
    copy_from: RuleSet | None = None,
    close_previous: bool = True,
    note: str = "",
    scope: Scope | None = None,
) -> RuleSet:
    """A new version from ``valid_from``, a copy of ``copy_from``'s rules, consequences and thresholds (if
    given). With ``close_previous``, the open-ended version that began before ``valid_from`` ends the day
    before; any other overlap is refused."""
    _check_rules(scope)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写规则版本名称。"})
    if valid_from is None:
        raise ValidationError({"valid_from": "请填写起始日期。"})
    closing = None
    if close_previous:
        closing = (
            RuleSet.objects.select_for_update()
            .filter(valid_to__isnull=True, valid_from__lt=valid_from)
            .order_by("-valid_from")
            .first()
        )
    check_no_overlap(valid_from, valid_to, exclude=[closing.pk if closing else None])
    if closing is not None:
        before = snapshot(closing)
        closing.valid_to = valid_from - datetime.timedelta(days=1)
        closing.version += 1
        closing.save(update_fields=["valid_to", "version"])
        audit_change(Action.UPDATE, before=before, after=closing, verb="warning_rule_set.closed")
    rule_set = RuleSet(name=name, valid_from=valid_from, valid_to=valid_to, note=note)
    rule_set.full_clean()
    rule_set.save()
    if copy_from is not None:
        for rule in copy_from.rules.order_by("order", "pk"):
            Rule.objects.create(
                rule_set=rule_set,
                order=rule.order,
                colour=rule.colour,
                condition=rule.condition,
                parameters=rule.parameters,
                label=rule.label,
                enabled=rule.enabled,
            )
        for consequence in copy_from.consequences.all():
            Consequence.objects.create(
                rule_set=rule_set,
                colour=consequence.colour,
                who=consequence.who,
                roles=consequence.roles,
                check_every_days=consequence.check_every_days,
                action=consequence.action,
            )
        for threshold in copy_from.thresholds.all():
            RegionThreshold.objects.create(
                rule_set=rule_set, group=threshold.group, colour=threshold.colour, below=threshold.below
            )
    audit_change(Action.CREATE, after=rule_set, note=f"copy of {copy_from.pk}" if copy_from else "")
    return rule_set


@transaction.atomic
def rule_set_update(
    rule_set: RuleSet,
    *,
    name: str,
    valid_from: datetime.date,
    valid_to: datetime.date | None,
    note: str = "",
    version: int | None = None,
    scope: Scope | None = None,
) -> RuleSet:
    """Rename a version or change its period (never overlapping another); ``version`` is the editor's."""
    _check_rules(scope)
    locked = lock_for_edit(rule_set, version)
    before = snapshot(locked)
    if not (name or "").strip():
        raise ValidationError({"name": "请填写规则版本名称。"})
    check_no_overlap(valid_from, valid_to, exclude=[locked.pk])
    locked.name, locked.valid_from, locked.valid_to, locked.note = name.strip(), valid_from, valid_to, note
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_change(Action.UPDATE, before=before, after=locked)
    return locked


def _colour(colour: str) -> str:
    if colour not in Colour.values:
        raise ValidationError({"colour": f"未知的预警颜色“{colour}”，应为红、橙、黄、蓝之一。"})
    return colour


@transaction.atomic
def rule_save(
    *,
    rule_set: RuleSet,
    colour: str,
    condition: str,
    label: str,
    parameters: dict | None = None,
    order: int | None = None,
    enabled: bool = True,
    rule: Rule | None = None,
    scope: Scope | None = None,
) -> Rule:
    """Create a rule (``rule`` None) or change one; its parameters are validated per condition."""
    _check_rules(scope)
    _colour(colour)
    if condition not in CONDITIONS:
        raise ValidationError({"condition": f"未知的预警条件“{condition}”。"})
    clean = validate_parameters(condition, parameters)
    label = (label or "").strip()
    if not label:
        raise ValidationError({"label": "请填写规则的说明（作为预警原因显示）。"})
    if rule is not None and rule.rule_set_id != rule_set.pk:
        raise ValidationError({"rule": "该规则不属于此规则版本。"})
    before = snapshot(rule) if rule is not None else None
    if rule is None:
        last = rule_set.rules.order_by("-order").values_list("order", flat=True).first() or 0
        rule = Rule(rule_set=rule_set, order=order if order is not None else last + 1)
    elif order is not None:
        rule.order = order
    rule.colour, rule.condition, rule.parameters, rule.label, rule.enabled = (
        colour,
        condition,
        clean,
        label,
        enabled,
    )
    rule.full_clean()
    rule.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=rule)
    return rule


@transaction.atomic
def thresholds_set(
    *, rule_set: RuleSet, group: str, values: dict[str, object], scope: Scope | None = None
) -> list[RegionThreshold]:
    """Set a group's region thresholds: colour -> below (%), a blank value removes that colour. A more
    severe colour must have a lower threshold (red below orange below yellow below blue)."""
    _check_rules(scope)
    if group not in Group.values:
        raise ValidationError({"group": f"未知的分组“{group}”。"})
    parsed: dict[str, Decimal] = {}
    for colour, value in values.items():
        _colour(colour)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError({colour: f"{COLOUR_NAMES[colour]}阈值应为 0 至 100 之间的数。"}) from None
        if not number.is_finite() or not Decimal(0) < number <= Decimal(100):
            raise ValidationError({colour: f"{COLOUR_NAMES[colour]}阈值应为 0 至 100 之间的数。"})
        parsed[colour] = number.quantize(Decimal("0.01"))
    ordered = [(colour, parsed[colour]) for colour in COLOURS if colour in parsed]
    for (severe, low), (milder, high) in zip(ordered, ordered[1:], strict=False):
        if low >= high:
            raise ValidationError(
                {
                    milder: f"{GROUP_NAMES[group]}的{COLOUR_NAMES[severe]}阈值（{low}%）应低于"
                    f"{COLOUR_NAMES[milder]}阈值（{high}%）。"
                }
            )
    old = {t.colour: str(t.below) for t in rule_set.thresholds.filter(group=group)}
    rule_set.thresholds.filter(group=group).delete()
    rows = [
        RegionThreshold.objects.create(rule_set=rule_set, group=group, colour=colour, below=below)
        for colour, below in ordered
    ]
    audit_change(
        Action.UPDATE,
        before={f"{group}_thresholds": old},
        after={f"{group}_thresholds": {colour: str(below) for colour, below in ordered}},
        instance=rule_set,
        verb="warning_rule_set.thresholds_changed",
    )
    return rows


@transaction.atomic
def consequence_set(
    *,
    rule_set: RuleSet,
    colour: str,
    who: str,
    check_every_days: object,
    action: str,
    roles: list[str] | None = None,
    scope: Scope | None = None,
) -> Consequence:
    """What ``colour`` means under ``rule_set``: who is told, how often the subject is checked (days), what
    happens."""
    _check_rules(scope)
    _colour(colour)
    who, action = (who or "").strip(), (action or "").strip()
    if not who:
        raise ValidationError({"who": "请填写告知对象。"})
    if not action:
        raise ValidationError({"action": "请填写处置措施。"})
    try:
        days = int(str(check_every_days).strip())
    except (TypeError, ValueError):
        raise ValidationError({"check_every_days": "复核周期应为 1 至 365 天的整数。"}) from None
    if not 1 <= days <= 365:
        raise ValidationError({"check_every_days": "复核周期应为 1 至 365 天的整数。"})
    from sanling.accounts.models import Role

    roles = [role for role in (roles or []) if role]
    unknown = [role for role in roles if role not in Role.values]
    if unknown:
        raise ValidationError({"roles": f"未知的角色：{'、'.join(unknown)}。"})
    consequence = Consequence.objects.filter(rule_set=rule_set, colour=colour).first()
    before = snapshot(consequence) if consequence else None
    consequence = consequence or Consequence(rule_set=rule_set, colour=colour)
    consequence.who, consequence.roles, consequence.check_every_days, consequence.action = (
        who,
        roles,
        days,
        action,
    )
    consequence.full_clean()
    consequence.save()
    audit_change(Action.UPDATE if before else Action.CREATE, before=before, after=consequence)
    return consequence


@transaction.atomic
def watch_entry_create(
    *,
    subject: Subject,
    reason: str,
    since: datetime.date,
    until: datetime.date | None = None,
    scope: Scope | None = None,
    user=None,
) -> WatchEntry:
    """Put a subject on the 关注名单 (a supervisor of its area: ``Scope.can_supervise``)."""
    if scope is not None and not (
        scope.can_supervise and scope.covers_place(subject.region, subject.department)
    ):
        raise PermissionDenied("该主体不在您的管辖范围内，或您无权维护关注名单。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写列入关注名单的原因。"})
    if until is not None and until < since:
        raise ValidationError({"until": "截止日期不能早于起始日期。"})
    entry = WatchEntry(subject=subject, reason=reason, since=since, until=until, added_by=user)
    entry.full_clean()
    entry.save()
    audit_change(Action.CREATE, after=entry)
    return entry
