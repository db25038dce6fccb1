"""The registry of warning conditions: each a set-based read answering, for a queryset of subjects and a
day, {subject id: reason detail}. A condition reads a bounded number of queries however many subjects it is
given (the subjects enter as a subquery), so a province is evaluated as fast as a county, query for query.

A ``Rule`` names a condition and its parameters; ``validate_parameters`` checks them per condition and
answers in Chinese. Which conditions give which colour by default is ours (the seeds name the colours only).
"""

import datetime
import os
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from sanling.assessment.engine import policies_for
from sanling.assessment.models import ZEROS
from sanling.assessment.periods import Period
from sanling.subjects.models import VILLAGE_KINDS, Subject

PERIOD_KINDS = {"days": "近若干天", "month": "本月", "quarter": "本季度", "year": "本年度"}
ZERO_NAMES = {"petition": "零上访", "accident": "零事故", "case": "零案件"}


@dataclass(frozen=True)
class Parameter:
    """An integer parameter (``minimum`` and up) or, with ``choices``, one of them."""

    name: str
    title: str
    default: object
    minimum: int = 0
    maximum: int = 3650
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    name: str
    title: str  # what it means, in Chinese, shown on the rules page
    evaluate: Callable[[QuerySet[Subject], datetime.date, dict], dict[int, str]]
    parameters: tuple[Parameter, ...] = ()


CONDITIONS: dict[str, Condition] = {}


def register_condition(condition: Condition) -> Condition:
    CONDITIONS[condition.name] = condition
    return condition


def validate_parameters(condition: str, parameters: object) -> dict:
    """The parameters completed with their defaults, or a ValidationError in Chinese."""
    if condition not in CONDITIONS:
        raise ValidationError({"condition": f"未知的预警条件“{condition}”。"})
    if parameters in (None, ""):
        parameters = {}
    if not isinstance(parameters, dict):
        raise ValidationError({"parameters": "条件参数应为键值对。"})
    spec = {parameter.name: parameter for parameter in CONDITIONS[condition].parameters}
    unknown = sorted(set(parameters) - set(spec))
    if unknown:
        raise ValidationError(
            {"parameters": f"条件“{CONDITIONS[condition].title}”没有参数：{'、'.join(unknown)}。"}
        )
    clean = {}
    for name, parameter in spec.items():
        value = parameters.get(name, parameter.default)
        if parameter.choices:
            if value not in parameter.choices:
                allowed = "、".join(parameter.choices)
                raise ValidationError({"parameters": f"参数“{parameter.title}”应为以下之一：{allowed}。"})
        else:
            try:
                number = int(value)
            except (TypeError, ValueError):
                raise ValidationError({"parameters": f"参数“{parameter.title}”应为整数。"}) from None
            if isinstance(value, bool) or str(number) != str(value).strip():
                raise ValidationError({"parameters": f"参数“{parameter.title}”应为整数。"})
            if not parameter.minimum <= number <= parameter.maximum:
                raise ValidationError(
                    {
                        "parameters": f"参数“{parameter.title}”应在 {parameter.minimum} 至 "
                        f"{parameter.maximum} 之间。"
                    }
                )
            value = number
        clean[name] = value
    return clean


def period_of(kind: str, on: datetime.date) -> Period:
    if kind == "year":
        return Period.of_year(on.year)
    if kind == "quarter":
        return Period.quarter(on.year, (on.month - 1) // 3 + 1)
    return Period.month(on.year, on.month)


def _ids(subjects: QuerySet[Subject]):
    return subjects.order_by().values("pk")


def _listed(found: dict[int, list[str]], limit: int = 2) -> dict[int, str]:
    """Subject id -> its first items joined, with "等 n 项" when there are more."""
    reasons = {}
    for subject_id, items in found.items():
        text = "；".join(items[:limit])
        reasons[subject_id] = text + (f" 等 {len(items)} 项" if len(items) > limit else "")
    return reasons


def broke_a_zero(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Red by default: broke a zero in the last ``days`` days up to ``on`` (or in the month, quarter, year
    of ``on`` up to it), under the compliance policy in force (``Policy.breaking_q``, as ``subject_status``
    reads it; for a window of days, the policy in force in the month of ``on``): one query per zero."""
    from sanling.events.models import Event

    kind = parameters.get("period", "days")
    period = period_of("month" if kind == "days" else kind, on)
    policy = policies_for([period])[period.key]
    start = on - datetime.timedelta(days=parameters.get("days", 30) - 1) if kind == "days" else period.start
    found: dict[int, list[str]] = defaultdict(list)
    for zero in ZEROS:
        events = (
            Event.objects.filter(
                policy.breaking_q(zero),
                subject__in=_ids(subjects),
                occurred_on__range=(start, min(period.end, on)),
            )
            .order_by("occurred_on", "ref")
            .values_list("subject_id", "occurred_on", "title")
        )
        for subject_id, occurred_on, title in events:
            found[subject_id].append(f"破{ZERO_NAMES[zero]} {occurred_on.isoformat()} {title}")
    return _listed(found)


def backlog_overdue(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Orange by default: a 积案 (petitions backlog) still unresolved on ``on`` more than ``days`` days past
    the 化解时限 it was given."""
    from sanling.petitions.models import Backlog

    limit = on - datetime.timedelta(days=parameters.get("days", 0))
    rows = (
        Backlog.objects.filter(item__subject__in=_ids(subjects), flagged_on__lte=on, deadline__lt=limit)
        .filter(Q(resolved_on__isnull=True) | Q(resolved_on__gt=on))
        .filter(Q(item__closed_on__isnull=True) | Q(item__closed_on__gt=on))
        .order_by("deadline", "pk")
        .values_list("item__subject_id", "item__ref", "deadline")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for subject_id, ref, deadline in rows:
        found[subject_id].append(
            f"积案 {ref} 化解时限 {deadline.isoformat()}，逾期 {(on - deadline).days} 天"
        )
    return _listed(found)


def major_hazard_overdue(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Orange by default: a 重大 hazard not rectified on ``on`` more than ``days`` days past its deadline."""
    from sanling.hazards.models import Hazard, HazardLevel

    limit = on - datetime.timedelta(days=parameters.get("days", 0))
    rows = (
        Hazard.objects.filter(
            subject__in=_ids(subjects), level=HazardLevel.MAJOR, found_on__lte=on, case__due_on__lt=limit
        )
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on))
        .order_by("case__due_on", "ref")
        .values_list("subject_id", "ref", "case__due_on")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for subject_id, ref, due_on in rows:
        found[subject_id].append(
            f"重大隐患 {ref} 整改时限 {due_on.isoformat()}，逾期 {(on - due_on).days} 天"
        )
    return _listed(found)


def county_case_open(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Yellow by default: a dispute worked at the county level, or a petition at the county level or above,
    still open on ``on`` (two queries)."""
    from sanling.disputes.models import Dispute, DisputeStatus, ResolvedLevel
    from sanling.petitions.models import COUNTY_AND_ABOVE, Petition

    found: dict[int, list[str]] = defaultdict(list)
    open_now = Q(status__in=[DisputeStatus.OPEN, DisputeStatus.MEDIATING, DisputeStatus.ESCALATED])
    disputes = (
        Dispute.objects.filter(subject__in=_ids(subjects), level=ResolvedLevel.COUNTY, reported_on__lte=on)
        .filter((open_now & Q(resolved_on__isnull=True)) | Q(resolved_on__gt=on))
        .order_by("reported_on", "ref")
        .values_list("subject_id", "ref", "reported_on")
    )
    for subject_id, ref, reported_on in disputes:
        found[subject_id].append(f"县级矛盾纠纷 {ref}（{reported_on.isoformat()} 登记）未化解")
    petitions = (
        Petition.objects.filter(subject__in=_ids(subjects), level__in=COUNTY_AND_ABOVE, received_on__lte=on)
        .filter(Q(case__closed_on__isnull=True) | Q(case__closed_on__gt=on))
        .order_by("received_on", "pk")
        .values_list("subject_id", "case__ref", "received_on")
    )
    for subject_id, ref, received_on in petitions:
        found[subject_id].append(f"县级以上信访 {ref}（{received_on.isoformat()} 受理）未办结")
    return _listed(found)


def key_visits_missed(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Yellow by default: at least ``count`` managed key persons of a village (community) whose visit is more
    than ``days`` days overdue on ``on`` (read from each person's visit case as it stands: its due date is the
    next visit). Only 村社区 subjects: the persons are placed in a village, its grids or buildings."""
    from sanling.keypeople.models import KeyPerson

    villages = dict(subjects.filter(kind__in=VILLAGE_KINDS).order_by().values_list("region__path", "pk"))
    if not villages:
        return {}
    limit = on - datetime.timedelta(days=parameters.get("days", 0))
    common = os.path.commonprefix(list(villages))
    common = common[: common.rstrip("/").rfind("/") + 1] if not common.endswith("/") else common
    paths = KeyPerson.objects.filter(
        region__path__startswith=common, active=True, case__closed_on__isnull=True, case__due_on__lt=limit
    ).values_list("region__path", flat=True)
    counts: dict[int, int] = defaultdict(int)
    for path in paths.iterator():
        parts = [part for part in path.split("/") if part]
        for depth in range(len(parts), 0, -1):
            subject_id = villages.get("/" + "/".join(parts[:depth]) + "/")
            if subject_id is not None:
                counts[subject_id] += 1
                break
    minimum = parameters.get("count", 1)
    return {
        subject_id: f"重点人员走访逾期 {count} 人" for subject_id, count in counts.items() if count >= minimum
    }


def not_reported(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Yellow by default (盯报表): a village (community) subject whose village has not reported what the
    county's reporting duties ask of it in the ``days`` days up to ``on`` (the duties' windows that are
    over), with what it missed. Reads ``reporting.selectors.unreported`` under the subjects' common region."""
    from sanling.regions.models import Region
    from sanling.reporting.selectors import unreported

    villages: dict[str, list[int]] = defaultdict(list)  # region code -> its village subjects
    paths = set()
    rows = (
        subjects.filter(kind__in=VILLAGE_KINDS).order_by().values_list("region__code", "region__path", "pk")
    )
    for code, path, subject_id in rows:
        villages[code].append(subject_id)
        paths.add(path)
    if not paths:
        return {}
    common = os.path.commonprefix(sorted(paths))
    common = common[: common.rstrip("/").rfind("/") + 1] if not common.endswith("/") else common
    region = Region.objects.filter(path=common).first()
    if region is None:
        return {}
    start = on - datetime.timedelta(days=parameters.get("days", 30) - 1)
    period = Period(start, on, f"{start.isoformat()}~{on.isoformat()}", "days")
    found: dict[int, list[str]] = defaultdict(list)
    for row in unreported(region=region, period=period):
        if row.kind == "region":
            for subject_id in villages.get(row.code, []):
                found[subject_id] += row.missing
    return _listed(found)


def on_watch_list(subjects: QuerySet[Subject], on: datetime.date, parameters: dict) -> dict[int, str]:
    """Blue by default: on the 关注名单 on ``on``."""
    from .models import WatchEntry

    rows = (
        WatchEntry.objects.filter(subject__in=_ids(subjects), since__lte=on)
        .filter(Q(until__isnull=True) | Q(until__gte=on))
        .order_by("since", "pk")
        .values_list("subject_id", "reason", "since")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for subject_id, reason, since in rows:
        found[subject_id].append(f"{reason}（{since.isoformat()} 起）")
    return _listed(found)


register_condition(
    Condition(
        "broke_a_zero",
        "期间内破零（按现行达标政策：县级以上信访、事故、刑事治安案件）",
        broke_a_zero,
        (
            Parameter("period", "统计期间", "days", choices=PERIOD_KINDS),
            Parameter("days", "天数（统计期间为“近若干天”时）", 30, minimum=1, maximum=366),
        ),
    )
)
register_condition(
    Condition(
        "backlog_overdue",
        "积案超过化解时限未化解",
        backlog_overdue,
        (Parameter("days", "逾期超过天数", 0),),
    )
)
register_condition(
    Condition(
        "major_hazard_overdue",
        "重大隐患超过整改时限未整改",
        major_hazard_overdue,
        (Parameter("days", "逾期超过天数", 0),),
    )
)
register_condition(Condition("county_case_open", "县级矛盾纠纷或县级以上信访未结", county_case_open))
register_condition(
    Condition(
        "key_visits_missed",
        "本村（社区）重点人员走访逾期",
        key_visits_missed,
        (Parameter("count", "至少人数", 1, minimum=1), Parameter("days", "逾期超过天数", 0)),
    )
)
register_condition(
    Condition(
        "not_reported",
        "本村（社区）未按期报表（盯报表）",
        not_reported,
        (Parameter("days", "统计近若干天", 30, minimum=7, maximum=366),),
    )
)
register_condition(Condition("on_watch_list", "列入关注名单", on_watch_list))


def parameters_text(condition: str, parameters: dict) -> str:
    """The parameters as a reader reads them: "逾期超过天数 7"."""
    spec = (
        {parameter.name: parameter for parameter in CONDITIONS[condition].parameters}
        if condition in CONDITIONS
        else {}
    )
    parts = []
    for name, value in parameters.items():
        parameter = spec.get(name)
        if parameter is None:
            continue
        shown = parameter.choices.get(value, value) if parameter.choices else value
        parts.append(f"{parameter.title} {shown}")
    return "，".join(parts)


# The default rule set (ours: the seeds name the four colours but not their rules).
DEFAULT_RULES = [
    ("red", "broke_a_zero", {"period": "days", "days": 30}, "近30天破零"),
    ("orange", "backlog_overdue", {"days": 0}, "积案逾期未化解"),
    ("orange", "major_hazard_overdue", {"days": 0}, "重大隐患逾期未整改"),
    ("yellow", "county_case_open", {}, "县级案件未结"),
    ("yellow", "key_visits_missed", {"count": 1, "days": 0}, "重点人员走访逾期"),
    ("yellow", "not_reported", {"days": 30}, "未按期报表"),
    ("blue", "on_watch_list", {}, "列入关注名单"),
]
DEFAULT_CONSEQUENCES = [
    (
        "red",
        "区委政法委、乡镇（街道）党（工）委书记",
        ["county_admin", "town_operator"],
        7,
        "约谈主体负责人，一周一交办，限期整改并逐周复核",
    ),
    (
        "orange",
        "乡镇（街道）分管领导、行业主管部门",
        ["town_operator", "department_user"],
        14,
        "书面提醒，列入交办清单，两周复核一次",
    ),
    (
        "yellow",
        "乡镇（街道）综治中心、村（社区）",
        ["town_operator", "grid_worker"],
        30,
        "提醒督办，每月复核",
    ),
    ("blue", "村（社区）网格员", ["grid_worker"], 30, "列入关注名单，动态跟踪，每月走访"),
]
DEFAULT_THRESHOLDS = [
    ("village", "red", "70"),
    ("village", "orange", "80"),
    ("village", "yellow", "90"),
    ("unit", "red", "80"),
    ("unit", "orange", "90"),
    ("unit", "yellow", "95"),
]
DEFAULT_NAME = "默认四色预警规则（本系统拟定）"
DEFAULT_NOTE = "种子材料只提出“蓝、黄、橙、红”四色预警，未规定规则与阈值；本版本为本系统拟定的默认值，县里可另立版本修改。"


def default_rule_set_write(rule_set_model, rule_model, consequence_model, threshold_model, valid_from):
    """Write the default rule set with the given model classes (also used by the data migration)."""
    from decimal import Decimal

    rule_set = rule_set_model.objects.create(name=DEFAULT_NAME, valid_from=valid_from, note=DEFAULT_NOTE)
    for order, (colour, condition, parameters, label) in enumerate(DEFAULT_RULES, start=1):
        rule_model.objects.create(
            rule_set=rule_set,
            order=order,
            colour=colour,
            condition=condition,
            parameters=parameters,
            label=label,
        )
    for colour, who, roles, days, action in DEFAULT_CONSEQUENCES:
        consequence_model.objects.create(
            rule_set=rule_set, colour=colour, who=who, roles=roles, check_every_days=days, action=action
        )
    for group, colour, below in DEFAULT_THRESHOLDS:
        threshold_model.objects.create(rule_set=rule_set, group=group, colour=colour, below=Decimal(below))
    return rule_set


def default_rule_set_restore():
    """The default rule set from 1900-01-01, written when a database holds none (a flushed test database,
    a restore without data rows), as the engine restores its default policy."""
    from .models import Consequence, RegionThreshold, Rule, RuleSet

    return default_rule_set_write(RuleSet, Rule, Consequence, RegionThreshold, datetime.date(1900, 1, 1))
