"""The hazards demo on a small county: a year of inspections and hazards through the services, most
rectified, some overdue today, none dated after today."""

import pytest
from django.utils import timezone

from sanling.hazards.demo import demo_load
from sanling.hazards.models import Hazard, HazardStatus, Inspection


@pytest.mark.django_db
def test_the_demo_writes_a_year_of_inspections_and_hazards(personas, attachment_dir):
    today = timezone.localdate()
    demo_load(county=None, today=today)
    hazards = Hazard.objects.select_related("case")
    assert Inspection.objects.count() >= 90
    assert hazards.count() > 40
    closed = hazards.filter(status=HazardStatus.CLOSED).count()
    assert closed > hazards.count() / 2
    assert hazards.filter(case__closed_on__isnull=True, case__due_on__lt=today).exists()
    assert not hazards.filter(found_on__gt=today).exists()
    assert all(entry.on <= today for hazard in hazards for entry in hazard.case.timeline.all())


@pytest.mark.django_db
def test_every_closed_demo_hazard_has_the_photo_of_its_recheck(personas, attachment_dir):
    """复查通过 (closed, with photos)."""
    from sanling.work.models import TimelineEntry

    demo_load(county=None, today=timezone.localdate())
    passes = TimelineEntry.objects.filter(action="recheck_pass")
    assert passes.exists()
    assert all(entry.attachments.filter(content_type__startswith="image/").exists() for entry in passes)
