"""The demo county's visits (called by ``sanling.demo.fieldwork``)."""

import datetime


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services."""
    return
