"""The demo county's 督查 (issue 16), written through the services and dated relative to ``today``:

* the county's own copy of our four default letter templates and our default ladder (90-day window);
* three visits to one village of 孟庙镇 (the county's, the town's, the county's again) 40, 26 and 12 days ago,
  each finding "落实不细不实" there: its 提醒函 and 通报 issued by the county office to the town's 矛调中心 and
  acknowledged by it (neither answered yet, so the 通报's answer is overdue), its 约谈函 proposed, not issued;
* a department visit (the education bureau) to one of its schools, its 提醒函 proposed;
* a county visit to 沙北街道 (or another town) whose 提醒函 was declined (put right on the spot).

A rerun that finds visits writes nothing.
"""

import datetime

from django.contrib.auth import get_user_model

from sanling.organisations.models import Organisation
from sanling.regions.models import Level, Region, subtree_q
from sanling.subjects.models import Subject

from .models import SupervisionVisit
from .services import (
    FindingInput,
    addressee_for,
    default_templates_create,
    letter_acknowledge,
    letter_decline,
    letter_issue,
    visit_create,
)

MENGMIAO = "411103107000"
SHABEI = "411103001000"
LADDER_FINDINGS = [
    (
        40,
        "county",
        "区平安办督查组 王建军、李红",
        "创建工作台账更新不及时，矛盾纠纷排查记录不全，落实不细不实",
    ),
    (26, "town", "孟庙镇督查组 赵刚", "提醒后台账仍未补齐，网格员走访记录缺失，落实不细不实"),
    (12, "county", "区平安办督查组 王建军、周敏", "整改措施仍未落实，重点人员稳控责任不清，落实不细不实"),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _village_subject(town: Region) -> Subject | None:
    return (
        Subject.objects.filter(subtree_q(town.path, via="region__"), kind__in=("village", "community"))
        .select_related("region")
        .order_by("code")
        .first()
    )


def _recipient(organisation: Organisation | None):
    if organisation is None:
        return None
    return organisation.head or organisation.members.order_by("pk").first()


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    if SupervisionVisit.objects.exists():
        return
    region = Region.objects.filter(level=Level.COUNTY).order_by("code").first()
    if region is None:
        return
    default_templates_create(county=region)
    towns = list(Region.objects.filter(subtree_q(region.path), level=Level.TOWN).order_by("code"))
    town = next((t for t in towns if t.code == MENGMIAO), None) or next(
        (t for t in towns if _village_subject(t) is not None), None
    )
    if town is None:
        return
    subject = _village_subject(town)
    issuer = _user("county")
    organisation = (
        Organisation.objects.filter(code=f"{town.code}-MTZX").first()
        or Organisation.objects.filter(region=town, active=True).order_by("code").first()
        or addressee_for(subject)
    )
    letters = []
    for days, by, visitors, text in LADDER_FINDINGS:
        visit = visit_create(
            region=region if by == "county" else town,
            visited_on=today - datetime.timedelta(days=days),
            visitors=visitors,
            place=f"{subject.name}村委会",
            summary=f"盯数据、盯报表、盯排名：现场督查{subject.name}“三零”创建工作。",
            findings=[FindingInput(subject=subject, text=text)],
        )
        letters.append(visit.findings.get().letter)
    for letter, days in zip(letters[:2], (38, 24), strict=True):
        issued = letter_issue(
            letter=letter,
            version=None,
            sent_to=organisation,
            on=today - datetime.timedelta(days=days),
            user=issuer,
        )
        letter_acknowledge(letter=issued, version=None, user=_recipient(organisation))
    # The 约谈函 (letters[2]) stays proposed: a person decides it.

    school = Subject.objects.filter(department__isnull=False, kind="institution").select_related("department")
    school = school.order_by("code").first()
    if school is not None:
        visit_create(
            region=region,
            department=school.department,
            visited_on=today - datetime.timedelta(days=9),
            visitors=f"{school.department.name}督查组",
            place=school.name,
            summary="校园安全“三零”创建专项督查。",
            findings=[FindingInput(subject=school, text="校园安全隐患排查台账落实不细不实")],
        )
    others = [t for t in towns if t != town]
    elsewhere = next((t for t in others if t.code == SHABEI), None) or next(
        (t for t in others if _village_subject(t) is not None), None
    )
    other = _village_subject(elsewhere) if elsewhere is not None else None
    if other is not None:
        visit = visit_create(
            region=region,
            visited_on=today - datetime.timedelta(days=20),
            visitors="区平安办督查组 周敏",
            place=f"{other.name}",
            findings=[FindingInput(subject=other, text="宣传栏“三零”创建内容未更新")],
        )
        letter_decline(
            letter=visit.findings.get().letter, version=None, reason="已当场整改到位，不再发函。", user=issuer
        )
