import pytest
from django.utils import timezone

from sanling.reporting.demo import demo_load
from sanling.reporting.models import ReportingDuty
from sanling.reporting.sources import DEFAULT_DUTIES


@pytest.mark.django_db
def test_the_demo_installs_the_default_duties_once(personas):
    demo_load(county=None, today=timezone.localdate())
    demo_load(county=None, today=timezone.localdate())
    assert ReportingDuty.objects.filter(county=personas["county"]).count() == len(DEFAULT_DUTIES)
