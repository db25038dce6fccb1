"""Reads of 盯报表: who has not reported in a period."""

from dataclasses import dataclass, field

from sanling.accounts.scope import Scope
from sanling.assessment.periods import Period
from sanling.regions.models import Region


@dataclass
class Unreported:
    """A town, village or department that reported nothing it should have in a period, and what it missed."""

    kind: str  # "region" or "department"
    code: str
    name: str
    missing: list[str] = field(default_factory=list)  # in Chinese: "本月无走访记录" …


def unreported(*, region: Region, period: Period, scope: Scope | None = None) -> list[Unreported]:
    """Those under ``region`` (as ``scope`` may see them) that have not reported in ``period``."""
    return []  # contract stub: the reporting app fills it in (issue 16)
