import datetime

import pytest

APRIL = "2025-04"
TODAY = datetime.date(2025, 5, 6)  # the review of April is held in early May


@pytest.fixture
def review_world(casework):
    """On top of ``casework`` (March 2025: 金牛社区 broke 零案件, 东湾食品厂 had an accident): in April 东湾村
    has a criminal case, so April ranks 沙北街道 (2/2) above 商桥镇 (1/2). 金牛's dispute case is past due
    on 30 April, 东湾's is not; a petition of 东湾村 is on the 积案 ledger since 5 April."""
    from sanling.events.services import event_create
    from sanling.petitions.services import backlog_flag, petition_create
    from sanling.work.models import WorkItem

    world = dict(casework)
    world["event_april"] = event_create(
        subject=world["dongwan_village"],
        type="criminal_case",
        occurred_on=datetime.date(2025, 4, 8),
        title="东湾盗窃案",
    )
    petition = petition_create(
        subject=world["dongwan_village"],
        received_on=datetime.date(2025, 4, 2),
        level="town",
        channel="visit",
        summary="东湾征地信访",
    )
    backlog_flag(
        item=petition.case,
        on=datetime.date(2025, 4, 5),
        responsible_organisation=world["org_shangqiao"],
        responsible_person="东湾责任人",
        leader="东湾包案领导",
        deadline=datetime.date(2025, 6, 30),
    )
    WorkItem.objects.update(due_on=datetime.date(2025, 5, 31))
    WorkItem.objects.filter(pk=world["dispute_a"].case.pk).update(due_on=datetime.date(2025, 4, 10))
    return world


@pytest.fixture
def english():
    """Messages in their msgids, so a test matches them whatever the translations say."""
    from django.utils import translation

    with translation.override("en"):
        yield
