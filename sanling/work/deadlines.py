"""Deadline arithmetic on the calendar: "7日内" is seven days, "3个月内" is three calendar months (received
2025-03-01, due 2025-06-01, not 90 days later), and a month that has no such day ends the period on its
last day (01-31 + 1 month = 02-28, or 02-29 in a leap year)."""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodUnit(models.TextChoices):
    DAYS = "days", _("days")
    MONTHS = "months", _("months")


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > datetime.MAXYEAR:
        return datetime.date.max
    if year < datetime.MINYEAR:
        return datetime.date.min
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_period(day: datetime.date, amount: int, unit: str) -> datetime.date:
    """``day`` plus ``amount`` days or calendar months. A period past the calendar's end (a mistyped amount
    stored before the bounds were checked) ends on its last day instead of failing with OverflowError."""
    if unit == PeriodUnit.MONTHS:
        return add_months(day, amount)
    try:
        return day + datetime.timedelta(days=amount)
    except OverflowError:
        return datetime.date.max if amount > 0 else datetime.date.min


def days_overdue(due_on: datetime.date | None, on: datetime.date) -> int:
    """How many days past ``due_on`` the day ``on`` is (0 when not yet due or without a due date)."""
    if due_on is None or on <= due_on:
        return 0
    return (on - due_on).days
