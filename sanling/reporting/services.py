"""Writes of 盯报表: a county's reporting duties (added, switched on or off, removed, or the default set
installed), audited; only a county administrator (``can_set_rules``) of that county may."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from sanling.accounts.scope import Scope
from sanling.audit.models import Action
from sanling.audit.services import audit_change
from sanling.regions.models import Region

from .models import ReportingDuty
from .sources import DEFAULT_DUTIES


def _check(scope: Scope | None, county: Region) -> None:
    if scope is None or scope.everything:
        return
    if not scope.can_set_rules or scope.region is None or not county.path.startswith(scope.region.path):
        raise PermissionDenied(_("Only the county's administrator sets its reporting duties."))


@transaction.atomic
def duty_create(
    *, county: Region, level: str, source: str, frequency: str, note: str = "", scope: Scope | None = None
) -> ReportingDuty:
    _check(scope, county)
    duty = ReportingDuty(county=county, level=level, source=source, frequency=frequency, note=note)
    duty.full_clean()
    duty.save()
    audit_change(Action.CREATE, after=duty)
    return duty


@transaction.atomic
def duty_delete(*, duty: ReportingDuty, scope: Scope | None = None) -> None:
    _check(scope, duty.county)
    audit_change(Action.DELETE, before=duty)
    duty.delete()


@transaction.atomic
def duties_install_defaults(*, county: Region, scope: Scope | None = None) -> list[ReportingDuty]:
    """The default duties (ours) for ``county``, leaving those it has alone."""
    _check(scope, county)
    have = set(ReportingDuty.objects.filter(county=county).values_list("level", "source"))
    return [
        duty_create(county=county, level=level, source=source, frequency=frequency, scope=scope)
        for level, source, frequency in DEFAULT_DUTIES
        if (level, source) not in have
    ]
