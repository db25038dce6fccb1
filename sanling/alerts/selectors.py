"""Reads of the 四色预警: each subject's colour with its reasons, each region's colour.

A subject's colour on a day comes from the rule set in force that day: every enabled rule's condition is
evaluated once for all the region's subjects (a bounded number of queries, however many subjects), the most
severe colour wins, and when several rules give that colour every reason is kept, in rule order. A subject
not in the campaign that day (not yet joined, or retired) is not coloured.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, Subquery

from sanling.accounts.scope import Scope
from sanling.regions.models import Region, subtree_q
from sanling.subjects.models import VILLAGE_KINDS, Group, Subject

from .conditions import CONDITIONS, default_rule_set_restore
from .models import Consequence, RegionThreshold, Rule, RuleSet

# Most severe first: a subject takes the first colour any of its rules gives it.
COLOURS = ("red", "orange", "yellow", "blue")


@dataclass
class SubjectWarning:
    """A subject's colour on a day and why (one line per rule that gave it, in Chinese)."""

    subject_id: int
    subject_code: str
    subject_name: str
    region_id: int
    department_id: int | None
    group: str
    colour: str
    reasons: list[str] = field(default_factory=list)


def rule_set_on(on: datetime.date) -> RuleSet | None:
    """The rule set in force on ``on`` (None if no version covers that day). A database that holds no
    rule set at all gets the default one back (ours, see ``conditions.DEFAULT_NOTE``)."""
    found = (
        RuleSet.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .first()
    )
    if found is None and not RuleSet.objects.exists():
        found = default_rule_set_restore()
    return found


def _subjects(region: Region, on: datetime.date, scope: Scope | None):
    subjects = Subject.objects.filter(subtree_q(region.path, via="region__"), joined_on__lte=on).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=on)
    )
    if scope is not None:
        subjects = subjects.filter(scope.subject_q())
    return subjects


def evaluate(subjects, on: datetime.date, rules: list[Rule]) -> dict[int, tuple[str, list[str]]]:
    """Subject id -> (colour, reasons) under ``rules`` (in their order)."""
    colour_of: dict[int, str] = {}
    reasons: dict[int, list[str]] = {}
    rank = {colour: index for index, colour in enumerate(COLOURS)}
    for rule in rules:
        condition = CONDITIONS.get(rule.condition)
        if condition is None or not rule.enabled:
            continue
        for subject_id, detail in condition.evaluate(subjects, on, rule.parameters or {}).items():
            current = colour_of.get(subject_id)
            reason = f"{rule.label}：{detail}" if detail else rule.label
            if current is None or rank[rule.colour] < rank[current]:
                colour_of[subject_id] = rule.colour
                reasons[subject_id] = [reason]
            elif rule.colour == current:
                reasons[subject_id].append(reason)
    return {subject_id: (colour, reasons[subject_id]) for subject_id, colour in colour_of.items()}


def subject_warnings(
    *, region: Region, on: datetime.date, scope: Scope | None = None, colour: str | None = None
) -> list[SubjectWarning]:
    """The subjects of ``region``'s subtree (as ``scope`` may see them) that have a colour on ``on``, most
    severe first, then by subject code; only ``colour``'s if given."""
    return warnings_of(_subjects(region, on, scope), on=on, colour=colour)


def warnings_of(subjects, *, on: datetime.date, colour: str | None = None) -> list[SubjectWarning]:
    """The warnings of the subjects of a queryset (already limited to those in the campaign on ``on``)."""
    rule_set = rule_set_on(on)
    if rule_set is None:
        return []
    rules = list(rule_set.rules.order_by("order", "pk"))
    found = evaluate(subjects, on, rules)
    if colour:
        found = {subject_id: value for subject_id, value in found.items() if value[0] == colour}
    if not found:
        return []
    warnings = []
    rows = Subject.objects.filter(pk__in=list(found)).values_list(
        "pk", "code", "name", "region_id", "department_id", "kind"
    )
    for pk, code, name, region_id, department_id, kind in rows:
        tint, reasons = found[pk]
        group = Group.VILLAGE if kind in VILLAGE_KINDS else Group.UNIT
        warnings.append(SubjectWarning(pk, code, name, region_id, department_id, group, tint, reasons))
    rank = {name: index for index, name in enumerate(COLOURS)}
    warnings.sort(key=lambda warning: (rank[warning.colour], warning.subject_code))
    return warnings


def subject_warning(*, subject: Subject, on: datetime.date) -> SubjectWarning | None:
    """One subject's colour and reasons on ``on`` (None when it has none or is not in the campaign)."""
    subjects = Subject.objects.filter(pk=subject.pk, joined_on__lte=on).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=on)
    )
    found = warnings_of(subjects, on=on)
    return found[0] if found else None


def colour_counts(warnings: list[SubjectWarning]) -> dict[str, int]:
    counts = Counter(warning.colour for warning in warnings)
    return {colour: counts.get(colour, 0) for colour in COLOURS}


def thresholds_on(on: datetime.date | None = None) -> dict[str, list[tuple[str, Decimal]]]:
    """Group -> [(colour, below)] of the rule set in force on ``on`` (today), most severe first: one query."""
    from django.utils import timezone

    on = on or timezone.localdate()
    in_force = (
        RuleSet.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .values("pk")[:1]
    )
    rows = list(
        RegionThreshold.objects.filter(rule_set=Subquery(in_force)).values_list("group", "colour", "below")
    )
    if not rows and not RuleSet.objects.exists():
        default_rule_set_restore()
        return thresholds_on(on)
    rank = {colour: index for index, colour in enumerate(COLOURS)}
    found: dict[str, list[tuple[str, Decimal]]] = {}
    for group, colour, below in sorted(rows, key=lambda row: rank[row[1]]):
        found.setdefault(group, []).append((colour, below))
    return found


def colour_for(thresholds: dict[str, list[tuple[str, Decimal]]], group: str, rate: Decimal | None) -> str:
    if rate is None:
        return ""
    for colour, below in thresholds.get(group, []):
        if Decimal(rate) < below:
            return colour
    return ""


def region_colour(*, group: str, rate: Decimal | None, on: datetime.date | None = None) -> str:
    """The colour of a region whose ``group`` rate is ``rate`` under the thresholds in force on ``on``
    ("" when it is above every threshold or has no rate)."""
    if rate is None:
        return ""
    return colour_for(thresholds_on(on), group, rate)


def consequences_of(rule_set: RuleSet | None) -> dict[str, Consequence]:
    if rule_set is None:
        return {}
    return {consequence.colour: consequence for consequence in rule_set.consequences.all()}


@dataclass
class Change:
    warning: SubjectWarning
    before: str  # "" when it had no colour
    after: str  # "" when it has none now
    kind: str  # new, escalated, eased, cleared


CHANGE_KINDS = ("new", "escalated", "eased", "cleared")


def changes_since_last_week(
    *, region: Region, on: datetime.date, scope: Scope | None = None
) -> dict[str, list[Change]]:
    """Kind -> the subjects whose colour changed between ``on`` − 7 days and ``on``: new (no colour then),
    escalated (more severe), eased (less severe, still coloured), cleared (no colour now)."""
    now = {warning.subject_id: warning for warning in subject_warnings(region=region, on=on, scope=scope)}
    week_ago = on - datetime.timedelta(days=7)
    then = {
        warning.subject_id: warning for warning in subject_warnings(region=region, on=week_ago, scope=scope)
    }
    rank = {colour: index for index, colour in enumerate(COLOURS)}
    changes: dict[str, list[Change]] = {kind: [] for kind in CHANGE_KINDS}
    for subject_id, warning in now.items():
        before = then.get(subject_id)
        if before is None:
            changes["new"].append(Change(warning, "", warning.colour, "new"))
        elif rank[warning.colour] < rank[before.colour]:
            changes["escalated"].append(Change(warning, before.colour, warning.colour, "escalated"))
        elif rank[warning.colour] > rank[before.colour]:
            changes["eased"].append(Change(warning, before.colour, warning.colour, "eased"))
    for subject_id, warning in then.items():
        if subject_id not in now:
            changes["cleared"].append(Change(warning, warning.colour, "", "cleared"))
    for rows in changes.values():
        rows.sort(key=lambda change: change.warning.subject_code)
    return changes
