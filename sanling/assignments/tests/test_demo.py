"""The 交办 demo on a small county: a month of weekly assignments, some done, some fed back, some overdue."""

import pytest
from django.utils import timezone

from sanling.assignments.demo import demo_load
from sanling.assignments.models import Assignment, AssignmentStatus

pytestmark = pytest.mark.django_db


def test_the_demo_gives_a_month_of_assignments_in_every_state(jb):
    from sanling.organisations.services import organisation_create

    for region in ("shabei", "shangqiao"):
        organisation_create(
            code=f"{jb[region].code}-ZZZX",
            name=f"{jb[region].name}综治中心",
            kind="comprehensive_centre",
            region=jb[region],
        )
    today = timezone.localdate()
    demo_load(county=None, today=today)
    rows = Assignment.objects.all()
    assert rows.count() == 20
    statuses = set(rows.values_list("status", flat=True))
    assert statuses == {AssignmentStatus.DONE, AssignmentStatus.FED_BACK, AssignmentStatus.PENDING}
    assert any(row.overdue_on(today) and row.status == AssignmentStatus.PENDING for row in rows)
    assert rows.filter(returns=1, status=AssignmentStatus.DONE).exists()
    assert all(entry.on <= today for row in rows for entry in row.timeline.all())
    assert all(row.evidence.exists() for row in rows.exclude(status=AssignmentStatus.PENDING))
    demo_load(county=None, today=today)  # a second load adds nothing
    assert Assignment.objects.count() == 20
