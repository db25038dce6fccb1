"""The demo county's monthly review (issue 16): last month's 讲评 of the county's towns and departments, with
the county office's notes on the first, a middle and the last town and on the department with the most
overdue work. Left a draft, so the
demo can still write notes, refresh and finalise it. Written through the services, dated from ``today``."""

import datetime

from sanling.regions.models import Level, Region

from .models import ItemKind, MonthlyReview
from .selectors import default_month
from .services import review_create, review_note


def county_region(county) -> Region | None:
    """The county's region: ``county`` itself, or the county node of the demo's ``DemoCounty``."""
    if isinstance(county, Region):
        return county
    codes = [row[0] for row in getattr(county, "regions", []) if row[2] == Level.COUNTY]
    return Region.objects.filter(code__in=codes).order_by("code").first()


def demo_load(*, county, today: datetime.date) -> None:
    county = county_region(county)
    if county is None:
        return
    month = default_month(today)
    if MonthlyReview.objects.filter(region=county, month=month.key).exists():
        return
    review = review_create(region=county, month=month.key, today=today)
    towns = [item for item in review.items.filter(kind=ItemKind.REGION) if item.rank is not None]
    departments = [item for item in review.items.filter(kind=ItemKind.DEPARTMENT) if item.rank is not None]
    notes = []
    if towns:
        notes.append((towns[0], "排名第一，“三零”创建扎实，经验在全区推广。"))
        notes.append(
            (towns[-1], "排名末位，达标率偏低：逾期事项和积案要列出清单、限期清零，下月讲评时专题汇报。")
        )
    if len(towns) > 2:
        notes.append((towns[len(towns) // 2], "与上月相比变化不大，重点人群回访要跟上。"))
    if departments:  # the department with the most overdue work (the last in the ranking on a tie)
        worst = max(reversed(departments), key=lambda item: (item.overdue, item.rank))
        notes.append((worst, "所属单位逾期事项较多，行业主管责任要压实，请对照清单逐一督导。"))
    for item, text in notes:
        review_note(item=item, note=text, version=item.version)
