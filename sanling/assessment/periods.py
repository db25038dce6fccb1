"""Assessment periods: calendar months (2021-07), quarters (2021Q3) and years (2021)."""

import datetime
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
QUARTER = re.compile(r"^(\d{4})[Qq]([1-4])$")
YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True, order=True)
class Period:
    """A closed date range [start, end] with its key, e.g. ``2021Q3`` for 2021-07-01 … 2021-09-30."""

    start: datetime.date
    end: datetime.date
    key: str
    kind: str  # "month", "quarter" or "year"

    def __str__(self) -> str:
        return self.key

    @property
    def year(self) -> int:
        return self.start.year

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        end = datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)
        return cls(datetime.date(year, month, 1), end, f"{year}-{month:02d}", "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        first, last = cls.month(year, 3 * quarter - 2), cls.month(year, 3 * quarter)
        return cls(first.start, last.end, f"{year}Q{quarter}", "quarter")

    @classmethod
    def of_year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), str(year), "year")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """``2021``, ``2021Q3`` or ``2021-07``; a ValidationError in Chinese for anything else."""
        text = (text or "").strip()
        try:
            if match := MONTH.match(text):
                year, month = int(match.group(1)), int(match.group(2))
                if 1 <= month <= 12:
                    return cls.month(year, month)
            elif match := QUARTER.match(text):
                return cls.quarter(int(match.group(1)), int(match.group(2)))
            elif match := YEAR.match(text):
                return cls.of_year(int(match.group(1)))
        except ValueError:
            pass  # year 0000, or a period ending after 9999-12-31: no calendar date holds it
        # The value goes in as a parameter, not into the message: a form error's text is interpolated again.
        raise ValidationError(
            _("“%(value)s” is not a period; write a year (2021), a quarter (2021Q3) or a month (2021-07)."),
            params={"value": text},
        )

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.year}
        if self.kind == "quarter":
            return _("%(year)s Q%(quarter)s") % {"year": self.year, "quarter": self.key[-1]}
        return _("%(year)s-%(month)s") % {"year": self.year, "month": self.start.month}


def earliest_date() -> datetime.date:
    """The first day anything may be dated or assessed (``SANLING_EARLIEST_YEAR``)."""
    return datetime.date(settings.EARLIEST_YEAR, 1, 1)


def parse_assessable(text: str, *, today: datetime.date) -> Period:
    """A period a user may ask figures for: well formed, not before the earliest year and not starting
    after ``today`` (a future period has no events yet and would show a meaningless 100%)."""
    period = Period.parse(text)
    if period.start < earliest_date():
        raise ValidationError(
            _("%(period)s is before %(year)s, the earliest year on record."),
            params={"period": period.key, "year": settings.EARLIEST_YEAR},
        )
    if period.start > today:
        raise ValidationError(
            _("%(period)s has not begun yet; choose a period up to %(today)s."),
            params={"period": period.key, "today": today.isoformat()},
        )
    return period


def periods_of_year(year: int) -> list[Period]:
    """The 17 periods of a year: 12 months, 4 quarters and the year."""
    return [
        *(Period.month(year, month) for month in range(1, 13)),
        *(Period.quarter(year, quarter) for quarter in range(1, 5)),
        Period.of_year(year),
    ]
