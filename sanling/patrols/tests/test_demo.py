"""The patrols of the demo: 沙北's 守护 team in two shifts and about three months of patrols up to yesterday,
two findings of which opened a hazard and a dispute."""

import pytest
from django.utils import timezone

from sanling.patrols.demo import DAYS, demo_load
from sanling.patrols.models import PatrolLog, PatrolTeam

pytestmark = pytest.mark.django_db


def test_the_guard_team_patrols_by_day_and_night_up_to_yesterday(casework):
    today = timezone.localdate()
    demo_load(county=None, today=today)
    team = PatrolTeam.objects.get()
    assert list(team.shifts.values_list("name", flat=True)) == ["白班", "夜班"]
    logs = PatrolLog.objects.all()
    assert logs.count() == 2 * DAYS
    assert max(timezone.localtime(log.started_at).date() for log in logs) < today
    assert logs.filter(hazard__isnull=False).count() == 1 and logs.filter(dispute__isnull=False).count() == 1
