"""Defects found in the review of issue 15 (grid fieldwork), written as the behaviour that should hold.
Each test fails on main at the time of the review."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.patrols.models import PatrolLog
from sanling.patrols.services import patrol_log_create

from .conftest import log_arguments

pytestmark = pytest.mark.django_db


def test_a_patrol_of_a_month_is_refused(patrol_world):
    """Review: a log typed 2026-11-01 20:00 → 2026-11-30 22:00 (the wrong month picked on a phone) was saved as
    a 698-hour patrol and the demo county's 巡逻时长 for November went from 137 to 835 hours. A patrol is a shift
    (the seeds: 分班制, 24 小时在社区巡逻 by turns), not weeks."""
    started = patrol_world["yesterday"] - datetime.timedelta(days=29)
    with pytest.raises(ValidationError):
        patrol_log_create(
            **log_arguments(patrol_world, started_at=started, ended_at=started + datetime.timedelta(days=29))
        )
    assert not PatrolLog.objects.exists()


@pytest.mark.parametrize("name", ["patrols:list", "patrols:log_create"])
def test_the_findings_column_and_field_are_in_chinese(client, patrol_world, name):
    """Review, after merging fieldwork (main 6880678): the patrol list's column and the log form's field read
    "Findings": the catalogue keeps "Findings" only with context "key people"."""
    from django.urls import reverse

    client.force_login(patrol_world["town_a"])
    content = client.get(reverse(name)).content.decode()
    assert "Findings" not in content
