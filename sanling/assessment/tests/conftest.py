import datetime

import pytest

from sanling.assessment.services import assessment_check, assessment_year_open
from sanling.departments.models import Department
from sanling.events.services import event_create
from sanling.subjects.services import subject_create

JAN_1 = datetime.date(2021, 1, 1)


@pytest.fixture
def world(county):
    """Two towns: 沙北街道 with 金牛社区 and a school and hospital in it, 商桥镇 with 东湾村 and a factory.
    2021 is assessed, so every change below goes through the live path."""
    education = Department.objects.create(code="JY", name="区教育局")
    health = Department.objects.create(code="WJ", name="区卫健委")
    safety = Department.objects.create(code="YJ", name="区应急管理局")
    subjects = {
        "community": subject_create(
            code="V1", name="金牛社区", kind="community", region=county["jinniu"], joined_on=JAN_1
        ),
        "village": subject_create(
            code="V2", name="东湾村", kind="village", region=county["dongwan"], joined_on=JAN_1
        ),
        "school": subject_create(
            code="U1",
            name="实验小学",
            kind="institution",
            category="school",
            region=county["grid"],
            department=education,
            joined_on=JAN_1,
        ),
        "hospital": subject_create(
            code="U2",
            name="中医院",
            kind="institution",
            category="hospital",
            region=county["shabei"],
            department=health,
            joined_on=JAN_1,
        ),
        "factory": subject_create(
            code="U3",
            name="食品厂",
            kind="enterprise",
            category="factory_mine",
            region=county["dongwan"],
            department=safety,
            joined_on=JAN_1,
        ),
    }
    assessment_year_open(year=2021)
    return {**county, **subjects, "education": education, "health": health, "safety": safety}


@pytest.fixture
def consistent(db):
    """Asserts, after the test, that the maintained rollups equal a rebuild from raw rows."""
    yield
    assert assessment_check() == []


def petition(subject, day, level="county", **fields):
    return event_create(
        subject=subject, type="petition", occurred_on=day, title="信访", petition_level=level, **fields
    )


def accident(subject, day, **fields):
    return event_create(
        subject=subject, type="accident", occurred_on=day, title="事故", accident_grade="general", **fields
    )


def case(subject, day, type="criminal_case"):
    return event_create(subject=subject, type=type, occurred_on=day, title="案件")
