"""The demo county's alerts (issue 16)."""

import datetime


def demo_load(*, county, today: datetime.date) -> None:
    pass
