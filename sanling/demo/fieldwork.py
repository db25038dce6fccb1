"""The demo county's fieldwork (issue 15): grids and their posts, then the work done in them.

Each app writes its own part through its services, in this order (the later parts find the posts, grids and
hazards of the earlier ones). Everything is dated up to ``today``, so the grid worker's day is today's."""

import datetime

from sanling.grids.demo import demo_load as grids_load
from sanling.hazards.demo import demo_load as hazards_load
from sanling.keypeople.demo import demo_load as keypeople_load
from sanling.meetings.demo import demo_load as meetings_load
from sanling.patrols.demo import demo_load as patrols_load
from sanling.visits.demo import demo_load as visits_load


def demo_fieldwork_load(*, county, today: datetime.date) -> None:
    grids_load(county=county, today=today)
    hazards_load(county=county, today=today)
    keypeople_load(county=county, today=today)
    visits_load(county=county, today=today)
    patrols_load(county=county, today=today)
    meetings_load(county=county, today=today)
