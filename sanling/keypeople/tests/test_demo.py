"""The demo: ten key persons in 光明东社区 (the demo grid worker's community), nine visited this month and one
overdue, the grid worker responsible for them."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from sanling.accounts.models import Profile
from sanling.keypeople.demo import demo_load
from sanling.keypeople.models import KeyPerson, KeyPersonVisit
from sanling.keypeople.selectors import overdue_visits
from sanling.regions.models import Level
from sanling.regions.services import region_create
from sanling.subjects.services import subject_create
from sanling.work.selectors import my_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def community(db):
    province = region_create(code="410000000000", name="河南省", level=Level.PROVINCE)
    city = region_create(code="411100000000", name="漯河市", level=Level.CITY, parent=province)
    county = region_create(code="411103000000", name="郾城区", level=Level.COUNTY, parent=city)
    town = region_create(code="411103001000", name="沙北街道", level=Level.TOWN, parent=county)
    village = region_create(code="411103001001", name="光明东社区", level=Level.VILLAGE, parent=town)
    subject_create(
        code="V411103001001",
        name="光明东社区",
        kind="community",
        region=village,
        joined_on=datetime.date(2021, 1, 1),
    )
    grid = get_user_model().objects.create_user(username="grid", password="pw-secret-123")
    Profile.objects.create(user=grid, role="grid_worker", region=village)
    return {"village": village, "grid": grid}


@pytest.mark.parametrize(
    "today", [datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), datetime.date(2024, 2, 29)]
)
def test_ten_persons_nine_visited_this_month_one_overdue(community, today, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: today)
    demo_load(county=None, today=today)
    people = KeyPerson.objects.filter(region__path__startswith=community["village"].path)
    assert people.count() == 10
    assert {"mental_disorder", "community_correction"} <= set(people.values_list("category", flat=True))
    this_month = KeyPersonVisit.objects.filter(visited_on__gte=today.replace(day=1), visited_on__lte=today)
    assert this_month.values("person").distinct().count() == 9
    assert overdue_visits(community["village"], today).count() == 1
    assert all(person.handler == community["grid"] for person in people)
    assert my_work(community["grid"]).filter(kind="key_visit").count() == 10


def test_with_the_grids_demo_the_grid_workers_post_is_responsible(community):
    from sanling.grids.services import post_create

    grid = region_create(
        code="411103001001001", name="光明东社区第1网格", level=Level.GRID, parent=community["village"]
    )
    post = post_create(
        region=grid,
        post_type="grid_member",
        holder_name="王网格",
        user=community["grid"],
        started_on=datetime.date(2024, 1, 1),
    )
    demo_load(county=None, today=timezone.localdate())
    people = KeyPerson.objects.all()
    assert people.count() == 10 and all(p.post == post and p.region == grid for p in people)
    assert all(p.handler == community["grid"] for p in people)
    assert my_work(community["grid"]).filter(kind="key_visit").count() == 10


def test_the_demo_is_loaded_once(community):
    today = timezone.localdate()
    demo_load(county=None, today=today)
    demo_load(county=None, today=today)
    assert KeyPerson.objects.count() == 10


@pytest.mark.parametrize("today", [datetime.date(2026, 3, 1), datetime.date(2026, 11, 30)])
def test_the_demo_history_is_believable(community, today, monkeypatch):
    """Review: registered 120 days ago and first seen 40 days ago, nearly every visit was late (county 2026
    回访完成率 11.11 %) and on the 1st the month's rate read “—”. Registered about a year ago and visited on
    schedule, most visits are on time, and the current month has a rate even on its first day."""
    from sanling.assessment.periods import Period
    from sanling.keypeople.figures import key_visit_figures

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args: today)
    demo_load(county=None, today=today)
    village = community["village"]
    people = KeyPerson.objects.filter(region__path__startswith=village.path)
    assert all((today - person.registered_on).days >= 360 for person in people)
    year = key_visit_figures(region=village, period=Period.of_year(today.year), today=today)
    assert year.completion_rate is not None and year.completion_rate >= 70
    month = key_visit_figures(region=village, period=Period.month(today.year, today.month), today=today)
    assert month.completion_rate is not None and month.overdue == 1
