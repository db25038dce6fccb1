"""The demo county's 盯报表: the default reporting duties (ours, ``sources.DEFAULT_DUTIES``), so the list shows
who did not report last month and the towns with 交办 not fed back in time (the assignments demo's overdue ones
fall in the weeks just past)."""

import datetime

from sanling.regions.models import Region

from .services import duties_install_defaults

COUNTY_CODE = "411103000000"


def demo_load(*, county, today: datetime.date) -> None:
    region = Region.objects.filter(code=COUNTY_CODE).first()
    if region is not None:
        duties_install_defaults(county=region)
