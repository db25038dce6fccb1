"""Reads of subjects for screens: the month-by-month status of a year and the history of a subject."""

from dataclasses import dataclass

from sanling.assessment.periods import Period
from sanling.assessment.selectors import SubjectStatus, subject_status

from .models import Subject


def mask_phone(phone: str) -> str:
    """138****0001: enough to recognise a number without exposing it on a screen."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


@dataclass
class YearStatus:
    year: Period
    months: list[SubjectStatus]
    total: SubjectStatus


def subject_year_status(*, subject: Subject, year: int) -> YearStatus:
    """The status of each month of ``year`` and of the year, with the events that broke each zero."""
    months = [subject_status(subject=subject, period=Period.month(year, month)) for month in range(1, 13)]
    whole = Period.of_year(year)
    return YearStatus(whole, months, subject_status(subject=subject, period=whole))
