"""Writes of deadline rule sets: configuration a county edits (the admin writes them here, audited). Cases
already open keep the due dates they were given; the new periods apply from their next step."""

from django.db import transaction

from sanling.audit.models import Action
from sanling.audit.services import audit_change, snapshot

from .models import DeadlineRuleSet

RULE_SET_FIELDS = (
    "name",
    "is_default",
    "mediation_amount",
    "mediation_unit",
    "accept_amount",
    "accept_unit",
    "result_amount",
    "result_unit",
    "result_from",
    "extension_amount",
    "extension_unit",
    "review_amount",
    "review_unit",
)


@transaction.atomic
def deadline_rule_set_create(*, code: str, name: str, counties=(), **fields) -> DeadlineRuleSet:
    """A new set of deadlines (a county's own, or a new default), with the counties that use it."""
    unknown = set(fields) - set(RULE_SET_FIELDS)
    if unknown:
        raise TypeError(f"not a rule set field: {', '.join(sorted(unknown))}")
    rule_set = DeadlineRuleSet(code=code.strip(), name=name.strip(), **fields)
    rule_set.full_clean()
    rule_set.save()
    if counties:
        rule_set.counties.set(counties)
    audit_change(Action.CREATE, after=rule_set)
    return rule_set


@transaction.atomic
def deadline_rule_set_update(*, rule_set: DeadlineRuleSet, counties=None, **changes) -> DeadlineRuleSet:
    """Change a rule set's periods, name, default flag or counties. Cases already open keep the due dates
    they were given; the new periods apply from their next step."""
    unknown = set(changes) - set(RULE_SET_FIELDS)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    current = DeadlineRuleSet.objects.select_for_update().get(pk=rule_set.pk)
    before = snapshot(current) | {"counties": sorted(current.counties.values_list("code", flat=True))}
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    if counties is not None:
        current.counties.set(counties)
    after = snapshot(current) | {"counties": sorted(current.counties.values_list("code", flat=True))}
    audit_change(Action.UPDATE, before=before, after=after, instance=current)
    return current
