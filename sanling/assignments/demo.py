"""The demo county's 交办 (郾城区: "一周一交办、一月一讲评"): a month of weekly assignments from the county to its
towns' 综治中心 and to two departments' offices, each about a real concern of the week. The oldest are fed back
with a photo and accepted (已办结), one was returned once; last week's are fed back and wait for the county to
accept them; some are past their deadline today without feedback (overdue, red in the ledger); this week's
are open. The 沙北街道 demo login (``shabei``) belongs to its 综治中心, so it can feed back its own.

Deterministic and written through the services, dated relative to ``today``; loading twice adds nothing."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from sanling.organisations.models import Organisation
from sanling.regions.models import Level, Region

from .models import Assignment
from .services import (
    SYSTEM,
    assignment_accept,
    assignment_create,
    assignment_feedback,
    assignment_return,
)

COUNTY_CODE = "411103000000"
ISSUES = [
    "开展矛盾纠纷大排查，对排查出的纠纷逐件登记、明确包案责任人",
    "对辖区重点人员开展走访，落实“一人一档”稳控措施",
    "督促整改上周督查发现的消防通道堵塞问题，反馈整改前后照片",
    "核实三零创建台账中“零发案”村（社区）的事件上报情况",
    "组织网格员对出租屋、群租房开展安全隐患排查",
]
# (weeks ago given, what happened): "done", "returned_done", "fed_back", "overdue", "open"
PLAN = [
    (4, "done"),
    (4, "returned_done"),
    (3, "done"),
    (3, "overdue"),
    (2, "fed_back"),
    (2, "overdue"),
    (1, "fed_back"),
    (1, "overdue"),
    (0, "open"),
    (0, "open"),
]


def _photo(ref: str) -> SimpleUploadedFile:
    # A tiny PNG made for each assignment (different content, so each is stored once).
    return SimpleUploadedFile(
        f"{ref}-整改照片.png", b"\x89PNG\r\n\x1a\n" + ref.encode() * 8, content_type="image/png"
    )


def _receivers(county: Region) -> list[Organisation]:
    towns = Organisation.objects.filter(
        region__parent=county, region__level=Level.TOWN, kind="comprehensive_centre", active=True
    ).order_by("region__code")
    offices = Organisation.objects.filter(region=county, kind="department", active=True).order_by("code")[:2]
    return [*towns, *offices]


def _shabei_member(receivers: list[Organisation]) -> None:
    from django.contrib.auth import get_user_model

    from sanling.organisations.services import organisation_update

    user = get_user_model().objects.filter(username="shabei").first()
    for organisation in receivers:
        if user is not None and organisation.region.name == "沙北街道" and organisation.head_id is None:
            organisation_update(
                organisation=organisation, version=organisation.version, head=user, members=[user]
            )


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    region = Region.objects.filter(code=COUNTY_CODE).first()
    if region is None or Assignment.objects.filter(ref__startswith="JB-DEMO-").exists():
        return
    receivers = _receivers(region)
    if not receivers:
        return
    _shabei_member(receivers)
    monday = today - datetime.timedelta(days=today.weekday())
    number = 0
    for weeks_ago, fate in PLAN:
        given_on = monday - datetime.timedelta(weeks=weeks_ago)
        # two receivers per plan row, walking round the towns and offices
        for _twice in range(2):
            organisation = receivers[number % len(receivers)]
            organisation = Organisation.objects.get(pk=organisation.pk)
            number += 1
            ref = f"JB-DEMO-{number:03d}"
            due_on = given_on + datetime.timedelta(days=4)  # the Friday of the week
            if fate == "open":
                due_on = max(due_on, today)
            assignment = assignment_create(
                ref=ref,
                giver_region=region,
                organisation=organisation,
                issue=f"{ISSUES[number % len(ISSUES)]}（{organisation.name}）",
                given_on=given_on,
                due_on=due_on,
            )
            if fate in ("done", "returned_done", "fed_back"):
                fed_on = min(due_on - datetime.timedelta(days=1), today)
                assignment_feedback(
                    assignment=assignment,
                    user=SYSTEM,
                    text="已按要求完成，详见佐证材料。",
                    evidence=[_photo(ref)],
                    on=fed_on,
                )
                if fate == "returned_done":
                    assignment_return(
                        assignment=assignment,
                        user=SYSTEM,
                        reason="佐证照片不能反映整改后的情况，请补充。",
                        on=fed_on,
                    )
                    assignment_feedback(
                        assignment=assignment,
                        user=SYSTEM,
                        text="已补充整改后照片。",
                        evidence=[_photo(ref + "-2")],
                        on=due_on + datetime.timedelta(days=1),
                        late_reason="按退回意见补充材料，超过原期限一天。",
                    )
                if fate in ("done", "returned_done"):
                    assignment_accept(
                        assignment=assignment, user=SYSTEM, on=min(due_on + datetime.timedelta(days=2), today)
                    )
