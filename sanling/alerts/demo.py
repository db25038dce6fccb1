"""The demo county's 四色预警 (issue 16): the default rule set (ours; written by the migration, restored
here if a database lost it) and a 关注名单 of a few villages and units, so that with the demo's broken zeros
(red), overdue 积案 and 重大 hazards (orange), county-level cases and missed key-person visits (yellow) the
county shows a believable spread of the four colours. Two entries are a few days old, so "changes since last
week" has something new."""

import datetime

from django.db.models import Q

from sanling.regions.models import Region, subtree_q
from sanling.subjects.models import VILLAGE_KINDS, Subject

from .models import WatchEntry
from .selectors import rule_set_on
from .services import watch_entry_create

VILLAGE_REASONS = [
    "征地拆迁矛盾集中，列入重点关注",
    "上月发生群体性聚集苗头",
    "村“两委”换届后工作衔接不到位",
    "外来务工人员集中，治安形势复杂",
    "历史遗留信访问题较多",
    "邻村土地边界纠纷反复",
]
UNIT_REASONS = [
    "危化品储存单位，汛期重点关注",
    "欠薪投诉较多",
    "消防检查多次整改不到位",
    "校园周边治安复杂",
    "人员密集场所，节假日重点关注",
    "生产线改造期间安全风险上升",
]


def _county_region(county) -> Region | None:
    """The county's region: ``county`` is the demo's ``DemoCounty`` (rows of codes) or a region itself."""
    if isinstance(county, Region):
        return county
    code = next((row[0] for row in getattr(county, "regions", []) if row[2] == "county"), None)
    return Region.objects.filter(code=code).first() if code else None


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    rule_set_on(today)
    county = _county_region(county)
    if county is None:
        return  # the default rule set is in force (restored if missing)
    if WatchEntry.objects.filter(subject__region__path__startswith=county.path).exists():
        return
    active = Subject.objects.filter(subtree_q(county.path, via="region__"), joined_on__lte=today).filter(
        Q(retired_on__isnull=True) | Q(retired_on__gte=today)
    )
    villages = list(active.filter(kind__in=VILLAGE_KINDS).order_by("code"))
    units = list(active.exclude(kind__in=VILLAGE_KINDS).order_by("code"))
    # Spread over the county: every n-th village and unit, so several towns have a blue subject.
    picked = [
        (subject, reason)
        for subjects, reasons in ((villages, VILLAGE_REASONS), (units, UNIT_REASONS))
        for subject, reason in zip(subjects[:: max(1, len(subjects) // len(reasons))], reasons, strict=False)
    ]
    for number, (subject, reason) in enumerate(picked):
        since = today - datetime.timedelta(days=3 if number % 5 == 0 else 45)
        until = None if number % 4 else today + datetime.timedelta(days=60)
        watch_entry_create(subject=subject, reason=reason, since=max(since, subject.joined_on), until=until)
    _recent_work(villages, units, today)


def _recent_work(villages: list[Subject], units: list[Subject], today: datetime.date) -> None:
    """The demo's year is quiet in its last weeks (its events are last year's): two recent incidents that
    break a zero (red) and two 重大 hazards past their deadline (orange), through the domains' services."""
    from sanling.events.services import event_create
    from sanling.hazards.services import hazard_register

    if len(villages) < 40 or len(units) < 400:
        return  # only in the demo county, not in a small test world
    event_create(
        subject=villages[37],
        type="security_case",
        occurred_on=today - datetime.timedelta(days=5),
        title="村民酒后斗殴",
    )
    event_create(
        subject=units[311],
        type="accident",
        accident_grade="general",
        occurred_on=today - datetime.timedelta(days=12),
        title="车间机械伤害",
    )
    for number, (unit, text) in enumerate(
        ((units[97], "液化气储罐区未设防爆设施"), (units[205], "疏散通道长期堵塞"))
    ):
        hazard_register(
            subject=unit,
            found_on=today - datetime.timedelta(days=60 + number * 10),
            category="消防安全",
            level="major",
            description=text,
            due_on=today - datetime.timedelta(days=15 + number * 5),
        )
