"""Writes of 考核: an indicator set with its indicators, created or replaced whole. The weights must sum to
exactly 100, each key must be one of the registry's that applies to what the set scores, each once; else a
Chinese ValidationError and nothing is written. Only a county administrator (``Scope.can_set_rules``)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import lock_for_edit, save_next_version

from .indicators import REGISTRY
from .models import Indicator, IndicatorSet, Mapping, Target


@dataclass(frozen=True)
class IndicatorInput:
    key: str
    weight: Decimal | str | int
    bar: Decimal | str | int | None = None
    mapping: str = ""


def check_may_set_rules(scope: Scope | None) -> None:
    if scope is not None and not scope.can_set_rules:
        raise ValidationError(_("Only the county administrator sets the scoring indicators."))


def _decimal(value, *, field: str, label: str, allow_empty: bool = False) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_empty:
            return None
        raise ValidationError({field: _("%(label)s: give a number.") % {"label": label}})
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(
            {field: _("%(label)s: “%(value)s” is not a number.") % {"label": label, "value": value}}
        ) from None
    if not number.is_finite() or number < 0 or number >= 100000:
        raise ValidationError({field: _("%(label)s: give a number from 0 up.") % {"label": label}})
    return number.quantize(Decimal("0.01"))


def _indicators(target: str, rows: list[IndicatorInput]) -> list[Indicator]:
    if not rows:
        raise ValidationError({"indicators": _("Give at least one indicator.")})
    built, seen = [], set()
    for position, row in enumerate(rows):
        kind = REGISTRY.get(row.key)
        if kind is None:
            raise ValidationError({"indicators": _("“%(key)s” is not a known indicator.") % {"key": row.key}})
        label = str(kind.label)
        if target not in kind.targets:
            raise ValidationError(
                {"indicators": _("%(label)s cannot be computed for this kind of set.") % {"label": label}}
            )
        if row.key in seen:
            raise ValidationError({"indicators": _("%(label)s is listed twice.") % {"label": label}})
        seen.add(row.key)
        weight = _decimal(row.weight, field="indicators", label=label)
        if weight <= 0:
            raise ValidationError(
                {"indicators": _("%(label)s: the weight must be above 0.") % {"label": label}}
            )
        mapping = row.mapping or kind.mapping
        if mapping not in Mapping.values:
            raise ValidationError(
                {"indicators": _("%(label)s: choose how points are given.") % {"label": label}}
            )
        bar = _decimal(row.bar, field="indicators", label=label, allow_empty=True)
        built.append(Indicator(key=row.key, weight=weight, bar=bar, mapping=mapping, position=position))
    total = sum((indicator.weight for indicator in built), Decimal(0))
    if total != 100:
        raise ValidationError(
            {"indicators": _("The weights must add up to 100; they add up to %(total)s.") % {"total": total}}
        )
    return built


@transaction.atomic
def indicator_set_create(
    *, name: str, year: int, target: str, indicators: list[IndicatorInput], scope: Scope | None = None
) -> IndicatorSet:
    check_may_set_rules(scope)
    if target not in Target.values:
        raise ValidationError({"target": _("Choose towns or departments.")})
    built = _indicators(target, list(indicators))
    if IndicatorSet.objects.filter(year=year, target=target).exists():
        raise ValidationError(
            {"year": _("This year already has an indicator set for them; edit it instead.")}
        )
    indicator_set = IndicatorSet(name=(name or "").strip(), year=year, target=target)
    indicator_set.full_clean()
    try:
        with transaction.atomic():
            indicator_set.save()
    except IntegrityError:
        raise ValidationError(
            {"year": _("This year already has an indicator set for them; edit it instead.")}
        ) from None
    for indicator in built:
        indicator.indicator_set = indicator_set
    Indicator.objects.bulk_create(built)
    audit_change(
        Action.CREATE,
        after={**snapshot(indicator_set), "indicators": _described(built)},
        instance=indicator_set,
    )
    return indicator_set


def _described(indicators: list[Indicator]) -> list[dict]:
    return [
        {
            "key": row.key,
            "weight": str(row.weight),
            "bar": None if row.bar is None else str(row.bar),
            "mapping": row.mapping,
        }
        for row in indicators
    ]


@transaction.atomic
def indicator_set_update(
    *,
    indicator_set: IndicatorSet,
    version: int | None,
    indicators: list[IndicatorInput],
    name: str | None = None,
    scope: Scope | None = None,
) -> IndicatorSet:
    """Replace a set's indicators (and its name); a stale ``version`` changes nothing."""
    check_may_set_rules(scope)
    current = lock_for_edit(indicator_set, version)
    built = _indicators(current.target, list(indicators))
    before = {**snapshot(current), "indicators": _described(list(current.indicators.all()))}
    if name is not None:
        current.name = name.strip()
    current.indicators.all().delete()
    for indicator in built:
        indicator.indicator_set = current
    Indicator.objects.bulk_create(built)
    updated = save_next_version(current)
    audit_change(
        Action.UPDATE,
        before=before,
        after={**snapshot(updated), "indicators": _described(built)},
        instance=updated,
    )
    return updated
