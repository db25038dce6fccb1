"""The demo county's reporting (issue 16)."""

import datetime


def demo_load(*, county, today: datetime.date) -> None:
    pass
