"""The demo county's supervision and reports (issue 16): targets and warning rules first, then the work the
county office does with them (交办, 督查 and its letters), then what it reads out at its meetings (讲评, 播报,
考核), which finds the earlier parts. Each app writes its own part through its services."""

import datetime

from sanling.alerts.demo import demo_load as alerts_load
from sanling.assignments.demo import demo_load as assignments_load
from sanling.reporting.demo import demo_load as reporting_load
from sanling.reports.demo import demo_load as reports_load
from sanling.reviews.demo import demo_load as reviews_load
from sanling.scoring.demo import demo_load as scoring_load
from sanling.supervision.demo import demo_load as supervision_load
from sanling.targets.demo import demo_load as targets_load


def demo_supervision_load(*, county, today: datetime.date) -> None:
    targets_load(county=county, today=today)
    alerts_load(county=county, today=today)
    reporting_load(county=county, today=today)
    assignments_load(county=county, today=today)
    supervision_load(county=county, today=today)
    reviews_load(county=county, today=today)
    scoring_load(county=county, today=today)
    reports_load(county=county, today=today)
