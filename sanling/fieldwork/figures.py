"""基层工作 figures of a region and a period: the five fieldwork domains' own figures side by side — hazards
found, rectified and overdue with 整改率, key-population visits done on time, households visited and coverage
(郾城区: "走访6万余户，累计走访13万余人次"), patrols, and the 510 meetings held and missing.

Each domain computes its figures from its own tables (``<app>.figures``); this module only asks each of them
with the same region, period, scope and day, so the dashboard panel and ``sanling fieldwork stats`` print the
same numbers as each domain's own pages.
"""

import datetime
from dataclasses import asdict, dataclass, fields, is_dataclass
from decimal import Decimal

from django.utils.translation import pgettext_lazy

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.regions.models import Region

from .sources import FIGURES


def _plain(value):
    """A figure as JSON holds it: a rate as a number, a day as ISO text."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


@dataclass(frozen=True)
class Section:
    """One domain's figures under its heading (``key`` is the app: hazards, keypeople, visits, …)."""

    key: str
    title: str
    figures: object  # the domain's frozen dataclass

    def rows(self) -> list[tuple[str, object]]:
        return [(str(label), value) for label, value in self.figures.rows()]

    def as_dict(self) -> dict:
        """The domain's figures as plain values (its own ``as_dict`` where it has one)."""
        if hasattr(self.figures, "as_dict"):
            data = self.figures.as_dict()
        else:
            data = asdict(self.figures) if is_dataclass(self.figures) else {}
        # Properties a domain computes (a rate, a total) are part of its figures too.
        for name in dir(type(self.figures)):
            if isinstance(getattr(type(self.figures), name, None), property) and name not in data:
                data[name] = getattr(self.figures, name)
        return _plain(data)


@dataclass(frozen=True)
class FieldworkFigures:
    """The 基层工作 figures of ``region``'s subtree for ``period``, one section per domain, in the order the
    panel and the command print them."""

    region_code: str
    region_name: str
    period: str
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section | None:
        return next((section for section in self.sections if section.key == key), None)

    def rows(self) -> list[tuple[str, object]]:
        """(label, value) of every figure, each prefixed with its section's title."""
        return [
            (f"{section.title} · {label}", value)
            for section in self.sections
            for label, value in section.rows()
        ]

    def as_dict(self) -> dict:
        return {
            "region_code": self.region_code,
            "region_name": self.region_name,
            "period": self.period,
            **{section.key: section.as_dict() for section in self.sections},
        }


SECTION_TITLES = {
    "hazards": pgettext_lazy("fieldwork", "Hazards (隐患排查整改)"),
    "keypeople": pgettext_lazy("fieldwork", "Key-population visits (重点人群)"),
    "visits": pgettext_lazy("fieldwork", "Household visits (走访)"),
    "patrols": pgettext_lazy("fieldwork", "Patrols (巡防)"),
    "meetings": pgettext_lazy("fieldwork", "Meetings (510)"),
}


def fieldwork_figures(
    *,
    region: Region,
    period: Period,
    scope: Scope | None = None,
    today: datetime.date | None = None,
) -> FieldworkFigures:
    """Every fieldwork domain's figures of ``region``'s subtree for ``period`` as ``scope`` may see them
    (None: everything); overdue work is counted on ``today`` (default: the period's last day or today)."""
    sections = tuple(
        Section(
            key, str(SECTION_TITLES[key]), function(region=region, period=period, scope=scope, today=today)
        )
        for key, function in FIGURES
    )
    return FieldworkFigures(
        region_code=region.code, region_name=region.name, period=period.key, sections=sections
    )


def figure_fields(figures: object) -> list[str]:
    """The names of a domain's figures (for a test that checks nothing is left out)."""
    return [field.name for field in fields(figures)] if is_dataclass(figures) else []
