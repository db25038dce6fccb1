"""Reads of work items: the deadline rules that apply to a place, 我的待办 and the overdue work by
organisation."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sanling.accounts.scope import Scope, scope_for
from sanling.organisations.models import Organisation
from sanling.regions.models import codes_in_path

from .deadlines import days_overdue
from .models import DeadlineRuleSet, TimelineEntry, WorkItem


def rule_set_for(subject) -> DeadlineRuleSet:
    """The rule set the subject's county chose, else the deployment's default, else the 《信访工作条例》
    preset's values (an unsaved set, so a fresh database still has deadlines)."""
    codes = codes_in_path(subject.region.path)
    chosen = DeadlineRuleSet.objects.filter(counties__code__in=codes).order_by("code").first()
    return (
        chosen
        or DeadlineRuleSet.objects.filter(is_default=True).order_by("code").first()
        or DeadlineRuleSet(code="regulation-2022", name="《信访工作条例》")
    )


# What each timeline action is called on screen (actions the domains record with ``work_item_step``).
ACTION_LABELS = {
    "register": _("Case registered"),
    "mediate": _("Mediation started"),
    "escalate": _("Escalated"),
    "resolve": _("Resolved"),
    "fail": _("Mediation failed"),
    "to_petition": _("Turned into a petition"),
    "to_litigation": _("Turned to litigation or arbitration"),
    "follow_up": _("Follow-up visit"),
    "receive": _("Received as a petition"),
    "accept": _("Accepted and notified"),
    "extend": _("Extended"),
    "reply": _("Replied"),
    "review": _("Review"),
    "conclude": _("Concluded"),
    "flag_backlog": _("Put on the backlog ledger"),
    "edit": _("Record corrected"),
    "agency_agent_assigned": _("Agent assigned"),
    "agency_filed": _("Filed"),
    "agency_handling": _("Agency matter handled"),
    "agency_feedback": _("Result fed back"),
    "agency_concluded": _("Concluded"),
    # Hazards (issue 15): 整改 → 申请复查 → 复查
    "rectify": _("Rectification recorded"),
    "request_recheck": _("Re-check requested"),
    "recheck_pass": _("Re-check passed"),
    "recheck_fail": _("Re-check failed: back to rectification"),
}


def step_label(kind: str, step: str) -> str:
    """The label of a step code of a work item's domain."""
    from .kinds import KINDS

    info = KINDS.get(kind)
    if not step:
        return step
    if info is not None and info.steps is not None and step in info.steps.values:
        return str(info.steps(step).label)
    for other in KINDS.values():  # a dispute's step on a case that has since become a petition
        if other.steps is not None and step in other.steps.values:
            return str(other.steps(step).label)
    return step


def detail_text(details: dict) -> str:
    """What a step's details say on screen: the level it went to or was settled at, the method, the satisfaction."""
    from sanling.disputes.models import MediationMethod, ResolvedLevel, Satisfaction
    from sanling.events.models import PetitionLevel

    parts = []
    level = details.get("to_level") or details.get("level")
    if level:
        label = dict(ResolvedLevel.choices).get(level) or dict(PetitionLevel.choices).get(level, level)
        parts.append(str(_("Level: %(level)s")) % {"level": label})
    if method := details.get("method"):
        parts.append(
            str(_("Method: %(method)s")) % {"method": dict(MediationMethod.choices).get(method, method)}
        )
    if satisfaction := details.get("satisfaction"):
        parts.append(
            str(_("Satisfaction: %(value)s"))
            % {"value": dict(Satisfaction.choices).get(satisfaction, satisfaction)}
        )
    return " · ".join(parts)


def timeline_of(item: WorkItem) -> list[TimelineEntry]:
    """The entries of ``item`` in order, each with ``action_label``, ``from_label`` and ``to_label`` for screens."""
    entries = list(item.timeline.select_related("actor", "organisation").order_by("on", "at", "pk"))
    for entry in entries:
        entry.action_label = str(ACTION_LABELS.get(entry.action, entry.action))
        entry.from_label = step_label(item.kind, entry.from_step)
        entry.to_label = step_label(item.kind, entry.to_step)
        entry.detail_text = detail_text(entry.details or {})
    return entries


# 我的待办: the open items a user works, and the overdue work a leader watches.

# Who sees the overdue work of their whole subtree by organisation (region and department leaders).
LEADER_ROLES = frozenset({"county_admin", "viewer", "town_operator", "department_user"})


def case_url(item: WorkItem) -> str:
    """The page of ``item``'s case (a dispute's or a petition's)."""
    from django.urls import reverse

    from .kinds import KINDS

    return reverse(KINDS[item.kind].page, kwargs={"ref": item.ref})


def _held_by(user) -> Q:
    """Open items with ``user`` as handler or held by an organisation the user belongs to or heads.

    One union of three indexed reads (the partial indexes on open items by handler and by organisation),
    not ``handler OR organisation IN (...)``: PostgreSQL cannot use an index for a subquery under OR, so
    that form read every open item of the database (at a province's million cases, 300 ms for an inbox of
    67; see docs/performance.md, "Casework")."""
    open_items = WorkItem.objects.filter(closed_on__isnull=True).order_by()
    handled = open_items.filter(handler=user)
    member = open_items.filter(organisation__in=Organisation.objects.filter(members=user).values("pk"))
    headed = open_items.filter(organisation__in=Organisation.objects.filter(head=user).values("pk"))
    return Q(pk__in=handled.values("pk").union(member.values("pk"), headed.values("pk")))


def my_work(user, *, scope: Scope | None = None) -> QuerySet[WorkItem]:
    """The open items ``user`` works (theirs, or their organisations' queue) inside their scope, the
    soonest due first and those without a due date last."""
    if not getattr(user, "is_authenticated", False):
        return WorkItem.objects.none()
    scope = scope or scope_for(user)
    return (
        scope.work_items()
        .filter(_held_by(user), closed_on__isnull=True)
        .select_related("subject", "organisation", "handler")
        .order_by(F("due_on").asc(nulls_last=True), "ref")
    )


RECENTLY_CLOSED_DAYS = 30


def my_recently_closed(
    user, *, on: datetime.date | None = None, scope: Scope | None = None, limit: int = 20
) -> list[WorkItem]:
    """Cases ``user`` worked on (registered, or took a step of) that closed in the last 30 days, inside their
    scope, latest first: the grid worker who registered a dispute sees it closed after the town resolved it."""
    if not getattr(user, "is_authenticated", False):
        return []
    on = on or timezone.localdate()
    scope = scope or scope_for(user)
    worked = TimelineEntry.objects.filter(actor=user).values("item_id")
    return list(
        scope.work_items()
        .filter(pk__in=worked, closed_on__gte=on - datetime.timedelta(days=RECENTLY_CLOSED_DAYS))
        .select_related("subject", "organisation")
        .order_by("-closed_on", "ref")[:limit]
    )


@dataclass(frozen=True)
class WorkCounts:
    open: int
    overdue: int


def work_counts(user, *, on: datetime.date | None = None, scope: Scope | None = None) -> WorkCounts:
    """How many items ``user`` has open, and how many of them are overdue on ``on`` (today): one query."""
    on = on or timezone.localdate()
    counts = (
        my_work(user, scope=scope)
        .order_by()
        .aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=on)))
    )
    return WorkCounts(open=counts["open"] or 0, overdue=counts["overdue"] or 0)


def is_leader(scope: Scope) -> bool:
    """Whether the overdue work of the whole subtree by organisation is the user's to watch."""
    return scope.everything or (scope.sees_business_data and scope.role in LEADER_ROLES)


@dataclass
class OverdueGroup:
    """One organisation's overdue items: ``count`` of them in all, ``items`` the most overdue shown."""

    organisation: Organisation | None
    count: int
    items: list[WorkItem]

    @property
    def more(self) -> int:
        return self.count - len(self.items)


# The overdue page lists at most this many items (the most overdue first); the counts are always whole.
OVERDUE_LIST_LIMIT = 500


def overdue_by_organisation(
    scope: Scope, *, on: datetime.date | None = None, limit: int = OVERDUE_LIST_LIMIT
) -> list[OverdueGroup]:
    """The open items of the scope overdue on ``on`` (today), grouped by the organisation holding them: every
    group's count (one grouped query) and, among the ``limit`` most overdue items of the scope, its own, each
    with ``days_overdue`` set. Most overdue organisation first; items without one last."""
    on = on or timezone.localdate()
    overdue = scope.work_items().filter(closed_on__isnull=True, due_on__lt=on)
    counts = dict(overdue.order_by().values_list("organisation").annotate(total=Count("pk")))
    if not counts:
        return []
    organisations = Organisation.objects.in_bulk([pk for pk in counts if pk is not None])
    groups = {pk: OverdueGroup(organisations.get(pk), total, []) for pk, total in counts.items()}
    # The most overdue ids first, then those rows with their subject and handler: one join of the scope's
    # subjects for ids only (from indexes), not for every column (PostgreSQL then scanned a province's
    # subjects). The organisations are read already (in_bulk above), so they are not joined again.
    most_overdue = overdue.order_by("due_on", "ref").values("pk")[:limit]
    items = (
        WorkItem.objects.filter(pk__in=most_overdue)
        .select_related("subject", "handler")
        .order_by("due_on", "ref")
    )
    for item in items:
        item.organisation = organisations.get(item.organisation_id)
        item.days_overdue = days_overdue(item.due_on, on)
        groups[item.organisation_id].items.append(item)
    return sorted(
        groups.values(),
        key=lambda group: (
            group.organisation is None,
            -group.count,
            group.organisation.name if group.organisation else "",
        ),
    )
