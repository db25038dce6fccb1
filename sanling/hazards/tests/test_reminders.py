"""Overdue hazards reach the owner, the subject's department users and its town's operators through the
reminders of issue 17 (the kind's ``watchers`` hook)."""

import pytest

from sanling.work.models import Notification
from sanling.work.reminders import remind


@pytest.mark.django_db
def test_an_overdue_hazard_reaches_the_town_and_the_department(hazard_world):
    hazard = hazard_world["hazard"]
    remind(on=hazard_world["today"])
    told = set(
        Notification.objects.filter(item=hazard.case, kind="overdue").values_list("user__username", flat=True)
    )
    assert {"town_a", "dept"} <= told
    assert "town_b" not in told


@pytest.mark.django_db
def test_a_hazard_not_yet_due_tells_no_watcher(hazard_world):
    hazard = hazard_world["hazard"]
    remind(on=hazard.case.due_on - __import__("datetime").timedelta(days=20))
    assert not Notification.objects.filter(item=hazard.case, user__username="dept").exists()


@pytest.mark.django_db
def test_the_owner_login_is_told(hazard_world):
    import datetime

    from sanling.hazards.services import hazard_report

    owned = hazard_report(
        subject=hazard_world["school"],
        found_on=hazard_world["today"] - datetime.timedelta(days=45),
        category="消防安全",
        level="general",
        description="配电箱无防护",
        owner=hazard_world["grid_a"],
    )
    remind(on=hazard_world["today"])
    assert Notification.objects.filter(item=owned.case, user=hazard_world["grid_a"], kind="overdue").exists()
