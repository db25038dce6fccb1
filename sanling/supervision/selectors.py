"""Reads of 督查 and the 四函 ladder."""

from sanling.assessment.periods import Period
from sanling.regions.models import Region

# The ladder, in order: the n-th finding in the window proposes the n-th letter.
LETTER_KINDS = ("reminder", "notice", "interview", "accountability")  # 提醒函, 通报, 约谈, 问责


def letter_figures(*, region: Region, period: Period) -> dict[str, dict[str, int]]:
    """Per letter kind, letters about subjects in ``region``'s subtree in ``period``: proposed, issued,
    declined, acknowledged, and responses overdue."""
    empty = {"proposed": 0, "issued": 0, "declined": 0, "acknowledged": 0, "overdue": 0}
    return {kind: dict(empty) for kind in LETTER_KINDS}  # contract stub: the supervision app fills it in
