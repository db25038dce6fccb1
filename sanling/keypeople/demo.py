"""The demo county's key persons (called by ``sanling.demo.fieldwork``): ten in 光明东社区 (411103001001, the
demo grid worker 网格员小王's community; in its 第1网格 when the grids demo put the grid worker's post there),
nine visited this month and one overdue, all through the services.

Their responsible post is the one the demo grid worker (login ``grid``) holds in that community, if the grids
demo made one; else the grid worker is named as their responsible worker (else no one). The
names, ID numbers and phones are made up (the ID numbers carry valid check digits).

The history is believable: registered about a year ago and visited on schedule since (a day or three before
each due date, now and then two days late), the nine seen this month on sensible dates (on the 1st: today),
the one overdue (high risk, weekly) last seen more than ten days ago."""

import datetime

from django.contrib.auth import get_user_model
from stdnum.cn import ric

from sanling.grids.selectors import posts_of_user
from sanling.regions.models import Region

from .models import KeyPerson
from .services import key_person_create, key_person_visit_record

VILLAGE = "411103001001"
# (name, birth date, category, risk level, days before today of this month's visit when none falls due this
# month, never before the 1st; None: the overdue one)
PEOPLE = [
    ("王建国", "19700312", "mental_disorder", "high", 0),
    ("李秀兰", "19650820", "mental_disorder", "medium", 1),
    ("张卫东", "19881105", "community_correction", "high", 2),
    ("刘志强", "19920217", "community_correction", "medium", 3),
    ("陈国华", "19780630", "released_prisoner", "medium", 4),
    ("杨丽娟", "19850909", "drug_user", "medium", 5),
    ("赵明亮", "19590101", "key_petitioner", "low", 6),
    ("黄春梅", "19810423", "mental_disorder", "low", 7),
    ("周海涛", "19951212", "community_correction", "medium", 8),
    ("吴振华", "19730718", "mental_disorder", "high", None),
]


BIRTH_PLACE = "412721"  # 郾城县 before it became 郾城区 (2004): the code a person born then carries


def demo_id_number(birth: str, number: int) -> str:
    body = f"{BIRTH_PLACE}{birth}{number:03d}"
    return body + ric.calc_check_digit(body + "0")  # the check digit of the 17 digits before it


def demo_load(*, county, today: datetime.date) -> None:
    """Write this app's part of the demo through its services (nothing if the community is not there)."""
    village = Region.objects.filter(code=VILLAGE).first()
    if village is None or KeyPerson.objects.filter(region__path__startswith=village.path).exists():
        return
    worker = get_user_model().objects.filter(username="grid", is_active=True).first()
    post = (
        next((p for p in posts_of_user(worker) if p.region.path.startswith(village.path)), None)
        if worker
        else None
    )
    # In the grid where the grid worker's post is (第1网格), when the grids demo made it: their grid's people.
    place = post.region if post is not None else village
    month_start = today.replace(day=1)
    for number, (name, birth, category, risk, days_ago) in enumerate(PEOPLE, start=1):
        person = key_person_create(
            actor=None,
            ref=f"KP-DEMO-{number:02d}",
            region=place,
            category=category,
            risk_level=risk,
            name=name,
            id_number=demo_id_number(birth, number * 2 + 1),
            phone=f"1390395{number:04d}",
            address=f"光明东社区{number}号楼{number}单元",
            post=post,
            handler=None if post is not None and post.user_id else worker,
            registered_on=today - datetime.timedelta(days=360 + number * 3),  # about a year ago
        )
        overdue = days_ago is None
        # The overdue one (high risk, weekly) was last seen before this month and at least ten days ago.
        until = min(month_start - datetime.timedelta(days=1), today - datetime.timedelta(days=10))
        last = _visit_on_schedule(person, worker, category, today=today, until=until if overdue else today)
        if overdue or (last is not None and last >= month_start):
            continue
        # Not due again this month (monthly or quarterly): seen this month all the same, ahead of time.
        _visit(
            person,
            worker,
            category,
            number,
            visited_on=max(month_start, today - datetime.timedelta(days=days_ago)),
        )


def _visit(person, worker, category: str, number: int, *, visited_on: datetime.date):
    return key_person_visit_record(
        actor=worker,
        person=person,
        visited_on=visited_on,
        face_to_face=number % 4 != 0,
        place="家中" if number % 4 != 0 else "电话联系家属",
        findings="按时服药，未发现异常。" if category == "mental_disorder" else "思想稳定，遵守规定。",
    )


def _visit_on_schedule(
    person, worker, category: str, *, today: datetime.date, until: datetime.date
) -> datetime.date | None:
    """A year of visits: a day or three before each due date, every fifth two days late; no visit after
    ``until`` nor for a due date after today (so the person is not overdue unless ``until`` stops early)."""
    due, last, count = person.case.due_on, None, 0
    while due is not None and due <= today:
        count += 1
        visited_on = (
            due + datetime.timedelta(days=2)
            if count % 5 == 0
            else due - datetime.timedelta(days=count % 3 + 1)
        )
        visited_on = min(visited_on, today)
        if visited_on > until or (last is not None and visited_on < last):
            break
        due = _visit(person, worker, category, count, visited_on=visited_on).next_due_on
        last = visited_on
    return last
