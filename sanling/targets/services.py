"""Writes of targets: set (create or change) and clear, by the county administrator only (``can_set_rules``),
inside their subtree, for a year on record or the next one. Each is audited; a refused write changes nothing.
"""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.assessment.selectors import assessable_years
from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot
from sanling.core.concurrency import StaleVersion, lock_for_edit, save_next_version
from sanling.regions.models import Region
from sanling.subjects.models import Group

from .models import Indicator, Target

HUNDRED = Decimal(100)


def check_may_set(scope: Scope | None) -> None:
    """Only the county administrator sets what the county measures itself by (None: the shell, the demo)."""
    if scope is not None and not scope.can_set_rules:
        raise PermissionDenied(_("Only the county administrator sets targets."))


def target_years(*, today: datetime.date | None = None) -> list[int]:
    """The years a target may be set for: from the earliest year on record to next year, newest first."""
    today = today or timezone.localdate()
    return [today.year + 1, *assessable_years(today=today)]


def _check_region(scope: Scope | None, region: Region | None) -> None:
    if region is None:
        raise ValidationError({"region": _("Choose the region the target is set for.")})
    if scope is None or scope.everything:
        return
    if scope.region is None or not region.path.startswith(scope.region.path):
        raise ValidationError({"region": _("This region is outside your area; you cannot set its targets.")})


def _check_year(year) -> int:
    years = target_years()
    if not isinstance(year, int) or year not in years:
        raise ValidationError(
            {
                "year": _("A target is set for a year from %(first)s to %(last)s.")
                % {"first": years[-1], "last": years[0]}
            }
        )
    return year


def _check_key(indicator: str, group: str) -> None:
    if indicator not in Indicator.values:
        raise ValidationError({"indicator": _("Choose an indicator of the list.")})
    if group and group not in Group.values:
        raise ValidationError({"group": _("Choose a group of the list, or leave it blank for every group.")})
    if indicator == Indicator.RATE and not group:
        raise ValidationError(
            {"group": _("A compliance rate target is set per group: villages and communities, or units.")}
        )


def parse_value(value) -> Decimal:
    """A percentage from 0 to 100 with at most two decimals, as a Decimal; a Chinese error otherwise."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip().removesuffix("%"))
    except (InvalidOperation, ValueError, TypeError):
        number = None
    if number is None or not number.is_finite() or not (0 <= number <= HUNDRED):
        raise ValidationError({"value": _("A target is a percentage from 0 to 100.")})
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError({"value": _("A target has at most two decimals.")})
    return number.quantize(Decimal("0.01"))


@transaction.atomic
def target_set(
    *,
    year: int,
    region: Region,
    group: str,
    indicator: str,
    value,
    note: str = "",
    version: int | None = None,
    scope: Scope | None = None,
) -> Target:
    """Set the target of ``indicator`` for ``group`` ("" for every group; the 达标率 needs one) in ``region``
    and ``year``: a new one, or a change of the one there (naming its ``version``, if the editor saw one)."""
    check_may_set(scope)
    _check_region(scope, region)
    _check_year(year)
    group = group or ""
    _check_key(indicator, group)
    number = parse_value(value)
    note = (note or "").strip()
    if len(note) > 200:
        raise ValidationError({"note": _("Keep the note within 200 characters.")})
    existing = Target.objects.filter(year=year, region=region, group=group, indicator=indicator).first()
    if existing is not None:
        current = lock_for_edit(existing, version)
        before = snapshot(current)
        current.value, current.note = number, note
        updated = save_next_version(current)
        audit_change(Action.UPDATE, before=before, after=updated)
        return updated
    if version is not None:  # the editor saw a target that has been cleared since
        raise StaleVersion(0)
    target = Target(year=year, region=region, group=group, indicator=indicator, value=number, note=note)
    target.full_clean()
    try:
        with transaction.atomic():
            target.save()
    except IntegrityError:  # set by someone else a moment ago
        raise StaleVersion(1) from None
    audit_change(Action.CREATE, after=target)
    return target


@transaction.atomic
def target_clear(*, target: Target, version: int | None = None, scope: Scope | None = None) -> None:
    """Clear a target: the region then follows the one set above it again (if any)."""
    check_may_set(scope)
    current = lock_for_edit(target, version)
    _check_region(scope, current.region)
    audit_change(Action.DELETE, before=current)
    current.delete()
