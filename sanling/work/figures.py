"""Casework figures per region (or department) and period: what the campaign reports about its disputes and
petitions — 化解率 and how much stays in the 三级过滤网 (孟庙镇: "小事不出村、大事不出乡"), 初信初访化解率,
办结率 and 满意率 (中站区's 信访代理: "共代理案件9起，办结率和满意率均达到89%"), 增量 and 存量, 越级 and 集体,
and the overdue work.

Every figure is a count over indexed columns of the domain tables, read in a handful of aggregate queries
(no rollup table of its own). Each record counts where its subject stood on the period's last day (or its
last active day), the placement rule of the engine, so the 化解率 here is the engine's ``dispute_rate``.
A rate whose denominator is zero is None (shown "—"), never a division error.
"""

import datetime
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Case, Count, DateField, F, Q, QuerySet, Value, When
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.assessment.selectors import rate_percent
from sanling.departments.models import Department
from sanling.disputes.models import Dispute, DisputeStatus, Satisfaction
from sanling.petitions.models import AgencyCase, AgencyStep, Petition, PetitionStep
from sanling.regions.models import Region, subtree_q
from sanling.subjects.models import SubjectPlacement

from .deadlines import days_overdue
from .models import WorkItem, WorkKind
from .selectors import step_label

# 不出村: settled by the first two filters (村民组, 村); 不出镇: by any of the three (组, 村, 镇).
VILLAGE_LEVELS = ("group", "village")
TOWN_LEVELS = ("group", "village", "town")
# 满意率 counts the satisfied and the basically satisfied.
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASICALLY)


@dataclass(frozen=True)
class CaseFigures:
    """The casework figures of one region (or a department's units in it) for one period. Rates are
    percentages with two decimals, None when there is nothing to divide by."""

    region_code: str
    region_name: str
    period: str
    overdue_on: datetime.date  # the day the overdue counts are taken on
    # 矛盾纠纷: registered in the period, and how many of them are resolved (at which level).
    disputes_registered: int
    disputes_resolved: int
    resolved_in_village: int  # at 组 or 村
    resolved_in_town: int  # at 组, 村 or 镇
    dispute_rate: Decimal | None  # 化解率 = resolved ÷ registered
    village_share: Decimal | None  # 不出村 = resolved at 组/村 ÷ resolved
    town_share: Decimal | None  # 不出镇 = resolved at 组/村/镇 ÷ resolved
    # 信访: received in the period.
    petitions_received: int
    petitions_concluded: int
    petitions_satisfied: int
    first_petitions: int  # 初信初访 (not repeat)
    first_concluded: int
    first_rate: Decimal | None  # 初信初访化解率 = first concluded ÷ first
    conclusion_rate: Decimal | None  # 办结率 = concluded ÷ received
    satisfaction_rate: Decimal | None  # 满意率 = satisfied ÷ received
    bypass: int  # 越级
    collective: int  # 集体访
    # 信访代理: applied for in the period.
    agency_cases: int
    agency_concluded: int
    agency_satisfied: int
    agency_conclusion_rate: Decimal | None  # concluded ÷ cases
    agency_satisfaction_rate: Decimal | None  # satisfied ÷ cases
    # Cases (work items of every kind).
    increment: int  # 增量: opened in the period
    stock: int  # 存量: opened before the period and still open on its first day
    backlog_stock: int  # 积案 on the ledger and unresolved on the period's first day
    overdue_disputes: int
    overdue_petitions: int
    overdue_agency: int

    @property
    def overdue(self) -> int:
        return self.overdue_disputes + self.overdue_petitions + self.overdue_agency

    def as_dict(self) -> dict:
        """Plain values for JSON and CSV: rates as numbers (or None), the day as ISO."""
        data = asdict(self)
        data["overdue"] = self.overdue
        data["overdue_on"] = self.overdue_on.isoformat()
        return {key: float(value) if isinstance(value, Decimal) else value for key, value in data.items()}


def overdue_day(period: Period, *, today: datetime.date | None = None) -> datetime.date:
    """The day overdue work is counted on for ``period``: its last day, or today while it runs."""
    return min(period.end, today or timezone.localdate())


def placed_subjects(region: Region, day: datetime.date, *, department: Department | None = None) -> QuerySet:
    """Ids of the subjects placed in ``region``'s subtree (under ``department`` if given) on ``day``, or on
    their last active day if they retired before it — the engine's placement rule (``engine.placement_on``
    at ``engine.reference_day``), as one subquery on the placements."""
    on = Case(
        When(subject__retired_on__lt=day, then=F("subject__retired_on")),
        default=Value(day),
        output_field=DateField(),
    )
    rows = (
        SubjectPlacement.objects.annotate(reference=on)
        .filter(subtree_q(region.path, via="region__"))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=F("reference")))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=F("reference")))
    )
    if department is not None:
        rows = rows.filter(department=department)
    return rows.values("subject_id")


def _department(scope: Scope | None, department: Department | None) -> Department | None:
    """Whose units to count: the one asked for, or a department user's own."""
    if department is not None:
        return department
    if scope is not None and not scope.everything:
        return scope.department
    return None


def _inside(scope: Scope | None, subjects: QuerySet) -> Q:
    """Of a subject placed in the region on the reference day, and visible to ``scope``."""
    condition = Q(subject_id__in=subjects)
    if scope is not None:
        condition &= scope.subject_q("subject__")
    return condition


def case_figures(
    *,
    region: Region,
    period: Period,
    scope: Scope | None = None,
    department: Department | None = None,
    today: datetime.date | None = None,
) -> CaseFigures:
    """The figures of ``region``'s subtree (only ``department``'s units, or the department user's own) for
    ``period``, as ``scope`` may see them (None: everything). Five aggregate queries."""
    subjects = placed_subjects(region, period.end, department=_department(scope, department))
    inside = _inside(scope, subjects)
    during = (period.start, period.end)
    resolved = Q(status=DisputeStatus.RESOLVED)
    disputes = Dispute.objects.filter(inside, reported_on__range=during).aggregate(
        registered=Count("pk"),
        resolved=Count("pk", filter=resolved),
        in_village=Count("pk", filter=resolved & Q(resolved_level__in=VILLAGE_LEVELS)),
        in_town=Count("pk", filter=resolved & Q(resolved_level__in=TOWN_LEVELS)),
    )
    concluded = Q(step=PetitionStep.CONCLUDED)
    first = Q(repeat=False)
    petitions = Petition.objects.filter(inside, received_on__range=during).aggregate(
        received=Count("pk"),
        concluded=Count("pk", filter=concluded),
        satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
        first=Count("pk", filter=first),
        first_concluded=Count("pk", filter=first & concluded),
        bypass=Count("pk", filter=Q(bypass=True)),
        collective=Count("pk", filter=Q(collective=True)),
    )
    agency = AgencyCase.objects.filter(inside, applied_on__range=during).aggregate(
        cases=Count("pk"),
        concluded=Count("pk", filter=Q(step=AgencyStep.CONCLUDED)),
        satisfied=Count("pk", filter=Q(satisfaction__in=SATISFIED)),
    )
    on = overdue_day(period, today=today)
    still_open = Q(closed_on__isnull=True) | Q(closed_on__gte=period.start)
    overdue = Q(closed_on__isnull=True, due_on__lt=on, opened_on__lte=on)
    items = WorkItem.objects.filter(inside).aggregate(
        increment=Count("pk", filter=Q(opened_on__range=during)),
        stock=Count("pk", filter=Q(opened_on__lt=period.start) & still_open),
        overdue_disputes=Count("pk", filter=overdue & Q(kind=WorkKind.DISPUTE)),
        overdue_petitions=Count("pk", filter=overdue & Q(kind=WorkKind.PETITION)),
        overdue_agency=Count("pk", filter=overdue & Q(kind=WorkKind.AGENCY)),
        # One backlog entry per item at most (a one-to-one), so the join counts nothing twice.
        backlog_stock=Count(
            "pk",
            filter=Q(backlog_entry__flagged_on__lt=period.start)
            & (Q(backlog_entry__resolved_on__isnull=True) | Q(backlog_entry__resolved_on__gte=period.start)),
        ),
    )
    return CaseFigures(
        region_code=region.code,
        region_name=region.name,
        period=period.key,
        overdue_on=on,
        disputes_registered=disputes["registered"],
        disputes_resolved=disputes["resolved"],
        resolved_in_village=disputes["in_village"],
        resolved_in_town=disputes["in_town"],
        dispute_rate=rate_percent(disputes["resolved"], disputes["registered"]),
        village_share=rate_percent(disputes["in_village"], disputes["resolved"]),
        town_share=rate_percent(disputes["in_town"], disputes["resolved"]),
        petitions_received=petitions["received"],
        petitions_concluded=petitions["concluded"],
        petitions_satisfied=petitions["satisfied"],
        first_petitions=petitions["first"],
        first_concluded=petitions["first_concluded"],
        first_rate=rate_percent(petitions["first_concluded"], petitions["first"]),
        conclusion_rate=rate_percent(petitions["concluded"], petitions["received"]),
        satisfaction_rate=rate_percent(petitions["satisfied"], petitions["received"]),
        bypass=petitions["bypass"],
        collective=petitions["collective"],
        agency_cases=agency["cases"],
        agency_concluded=agency["concluded"],
        agency_satisfied=agency["satisfied"],
        agency_conclusion_rate=rate_percent(agency["concluded"], agency["cases"]),
        agency_satisfaction_rate=rate_percent(agency["satisfied"], agency["cases"]),
        increment=items["increment"],
        stock=items["stock"],
        backlog_stock=items["backlog_stock"],
        overdue_disputes=items["overdue_disputes"],
        overdue_petitions=items["overdue_petitions"],
        overdue_agency=items["overdue_agency"],
    )


@dataclass(frozen=True)
class OverdueRow:
    """One open case past its due date on a day."""

    ref: str
    kind: str
    step: str
    due_on: datetime.date
    days_overdue: int
    organisation: str
    handler: str

    def as_dict(self) -> dict:
        return {**asdict(self), "due_on": self.due_on.isoformat()}


def overdue_items(*, region: Region, on: datetime.date, scope: Scope | None = None) -> list[OverdueRow]:
    """The open cases of ``region``'s subtree (where their subjects stood on ``on``) that are past due on
    ``on``, most overdue first: one query over the index on open items' due dates."""
    subjects = placed_subjects(region, on, department=_department(scope, None))
    rows = (
        WorkItem.objects.filter(
            _inside(scope, subjects), closed_on__isnull=True, due_on__lt=on, opened_on__lte=on
        )
        .select_related("organisation", "handler")
        .order_by("due_on", "ref")
    )
    return [
        OverdueRow(
            ref=item.ref,
            kind=str(WorkKind(item.kind).label),
            step=step_label(item.kind, item.step),
            due_on=item.due_on,
            days_overdue=days_overdue(item.due_on, on),
            organisation=item.organisation.name if item.organisation else "",
            handler=(item.handler.get_full_name() or item.handler.get_username()) if item.handler else "",
        )
        for item in rows
    ]
