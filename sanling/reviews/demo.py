"""The demo county's reviews (issue 16)."""

import datetime


def demo_load(*, county, today: datetime.date) -> None:
    pass
