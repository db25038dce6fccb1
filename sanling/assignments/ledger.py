"""The 交办台账: its columns, written by the Excel export of exactly the filtered rows."""

import datetime

from django.utils import timezone

from sanling.core.record_lists import Column


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _overdue(assignment) -> str:
    return "是" if assignment.overdue_on(timezone.localdate()) else ""


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _late(assignment) -> str:
    fed: datetime.date | None = assignment.fed_back_on
    return "是" if fed and fed > assignment.due_on else ""


LEDGER_COLUMNS = [
    Column("编号", lambda a: a.ref),
    Column("周次", lambda a: a.week),
    Column("交办日期", lambda a: a.given_on.isoformat()),
    Column(
        "交办单位", lambda a: a.giver_organisation.name if a.giver_organisation_id else a.giver_region.name
    ),
    Column("承办单位", lambda a: a.organisation.name),
    Column("责任人", lambda a: _person(a.owner)),
    Column("交办事项", lambda a: a.issue),
    Column("涉及主体", lambda a: "、".join(subject.name for subject in a.subjects.all())),
    Column("办理期限", lambda a: a.due_on.isoformat()),
    Column("状态", lambda a: a.get_status_display()),
    Column("反馈日期", lambda a: _iso(a.fed_back_on)),
    Column("反馈情况", lambda a: a.feedback),
    Column("逾期反馈", _late),
    Column("逾期说明", lambda a: a.late_reason),
    Column("办结日期", lambda a: _iso(a.concluded_on)),
    Column("退回次数", lambda a: a.returns),
    Column("逾期未办结", _overdue),
]
