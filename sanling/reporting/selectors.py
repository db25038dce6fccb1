"""Reads of 盯报表: who has not reported in a period."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.departments.models import Department
from sanling.regions.models import Region, codes_in_path

from .sources import SOURCES


@dataclass
class Unreported:
    """A town, village or department that reported nothing it should have in a period, and what it missed."""

    kind: str  # "region" or "department"
    code: str
    name: str
    missing: list[str] = field(default_factory=list)  # in Chinese: "本月无走访记录" …


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date
    label: str  # 2026年第47周, 2026年11月, 2026年第4季度


def windows(frequency: str, period: Period, today: datetime.date) -> list[Window]:
    """The windows of ``frequency`` that end inside ``period`` and are over by ``today`` (a week, month or
    quarter still running is not yet due)."""
    found = []
    if frequency == "week":
        day = period.start + datetime.timedelta(days=(6 - period.start.weekday()))  # the first Sunday
        while day <= period.end:
            start = day - datetime.timedelta(days=6)
            year, week, _weekday = start.isocalendar()
            found.append(Window(start, day, f"{year}年第{week}周"))
            day += datetime.timedelta(days=7)
    elif frequency == "month":
        year, month = period.start.year, period.start.month
        while True:
            window = Period.month(year, month)
            if window.end > period.end:
                break
            found.append(Window(window.start, window.end, f"{year}年{month}月"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif frequency == "quarter":
        year, quarter = period.start.year, (period.start.month - 1) // 3 + 1
        while True:
            window = Period.quarter(year, quarter)
            if window.end > period.end:
                break
            if window.end >= period.start:
                found.append(Window(window.start, window.end, f"{year}年第{quarter}季度"))
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return [window for window in found if window.end < today]


def duties_for(region: Region):
    """The active duties that apply under ``region``: its own county's, or those of the counties under it."""
    from .models import ReportingDuty

    return ReportingDuty.objects.filter(
        Q(county__code__in=codes_in_path(region.path)) | Q(county__path__startswith=region.path), active=True
    ).select_related("county")


def _county_code(path: str, counties: set[str]) -> str | None:
    return next((code for code in codes_in_path(path) if code in counties), None)


def unreported(*, region: Region, period: Period, scope: Scope | None = None) -> list[Unreported]:
    """Those under ``region`` (as ``scope`` may see them) that have not reported in ``period``."""
    today = timezone.localdate()
    duties = list(duties_for(region))
    if not duties:
        return []
    counties = {duty.county.code for duty in duties}
    levels = {duty.level for duty in duties}
    places = Region.objects.none()
    if levels & {"town", "village"} and (
        scope is None or scope.everything or (scope.sees_business_data and scope.region is not None)
    ):
        places = Region.objects.filter(
            path__startswith=region.path, level__in=levels & {"town", "village"}
        ).order_by("path")
        if scope is not None and not scope.everything:
            places = places.filter(path__startswith=scope.region.path)
    departments = Department.objects.none()
    if "department" in levels and (scope is None or scope.everything or scope.sees_business_data):
        from sanling.organisations.models import Organisation
        from sanling.subjects.models import Subject

        present = Subject.objects.filter(region__path__startswith=region.path).values("department")
        offices = Organisation.objects.filter(region__path__startswith=region.path).values("department")
        departments = Department.objects.filter(Q(pk__in=present) | Q(pk__in=offices)).order_by("code")
        if scope is not None and not scope.everything:
            # a department user sees its own; a region user the departments only from a county up
            if scope.department is not None:
                departments = departments.filter(pk=scope.department.pk)
            elif scope.region is None or scope.region.level not in ("county", "city", "province"):
                departments = departments.none()
    rows: dict[tuple, Unreported] = {}
    order: list[tuple] = []
    targets = [("region", place) for place in places] + [("department", dept) for dept in departments]
    cache: dict[tuple, object] = {}
    for kind, target in targets:
        for duty in duties:
            if kind == "region" and duty.level != target.level:
                continue
            if kind == "department" and duty.level != "department":
                continue
            if kind == "region" and _county_code(target.path, counties) != duty.county.code:
                continue
            source = SOURCES[duty.source]
            for window in windows(duty.frequency, period, today):
                key = (duty.source, window.start, window.end)
                if key not in cache:
                    cache[key] = source.reported(region.path, window.start, window.end)
                reported = cache[key]
                text = _missing(kind, target, source, reported, window)
                if not text:
                    continue
                row_key = (kind, target.code)
                if row_key not in rows:
                    rows[row_key] = Unreported(kind=kind, code=target.code, name=target.name)
                    order.append(row_key)
                rows[row_key].missing.append(text)
    return [rows[key] for key in order]


def _missing(kind, target, source, reported, window: Window) -> str:
    if reported.missing_by_code is not None:
        count = (
            reported.missing_by_code.get(target.code, 0)
            if kind == "region"
            else reported.missing_by_department.get(target.pk, 0)
        )
        return f"{window.label}有{count}{source.missing}" if count else ""
    done = target.code in reported.codes if kind == "region" else target.pk in reported.departments
    return "" if done else f"{window.label}{source.missing}"
