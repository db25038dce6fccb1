"""The demo county's 考核 (issue 16): this year's example indicator sets for the towns and for the
departments. The seeds say the campaign is "纳入…平安建设考评" but give no indicators or weights: these are
ours, an example a county edits."""

import datetime

from .models import IndicatorSet, Target
from .services import IndicatorInput, indicator_set_create

# (key, weight) — ours, not the seeds'.
EXAMPLE = {
    Target.TOWNS: (
        "平安建设考评（乡镇街道）示例",
        [
            ("rate_village", 30),
            ("rate_unit", 20),
            ("dispute_rate", 15),
            ("hazard_rate", 10),
            ("visit_rate", 10),
            ("assignment_rate", 10),
            ("red_warnings", 5),
        ],
    ),
    Target.DEPARTMENTS: (
        "平安建设考评（区直部门）示例",
        [
            ("rate_unit", 45),
            ("dispute_rate", 15),
            ("hazard_rate", 20),
            ("assignment_rate", 15),
            ("red_warnings", 5),
        ],
    ),
}


def example_sets_create(year: int) -> list[IndicatorSet]:
    made = []
    for target, (name, rows) in EXAMPLE.items():
        if IndicatorSet.objects.filter(year=year, target=target).exists():
            continue
        made.append(
            indicator_set_create(
                name=name,
                year=year,
                target=target,
                indicators=[IndicatorInput(key=key, weight=weight) for key, weight in rows],
            )
        )
    return made


def demo_load(*, county, today: datetime.date) -> None:
    example_sets_create(today.year)
