"""Inspections and hazards carry the earliest date the bundle importer applies
(``core.validators.record_date_problem``), so an exported bundle always re-imports."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.hazards.models import Hazard, Inspection
from sanling.hazards.services import hazard_report, inspection_create

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(1990, 1, 1)


def test_an_inspection_before_the_earliest_year_is_refused(hazard_world):
    with pytest.raises(ValidationError) as refused:
        inspection_create(
            subject=hazard_world["school"], inspected_on=LONG_AGO, inspection_type="消防", by_kind="town"
        )
    assert "inspected_on" in refused.value.message_dict
    assert Inspection.objects.count() == 1  # the world's own


def test_a_hazard_before_the_earliest_year_is_refused(hazard_world):
    with pytest.raises(ValidationError) as refused:
        hazard_report(
            subject=hazard_world["school"],
            found_on=LONG_AGO,
            category="消防安全",
            level="general",
            description="消防通道被杂物堵塞",
        )
    assert "found_on" in refused.value.message_dict
    assert Hazard.objects.count() == 1


def test_a_hazard_before_its_subject_joined_is_refused(hazard_world):
    """As the importer: not before the subject joined the campaign."""
    school = hazard_world["school"]
    assert school.joined_on is not None
    with pytest.raises(ValidationError) as refused:
        hazard_report(
            subject=school,
            found_on=school.joined_on - datetime.timedelta(days=1),
            category="消防安全",
            level="general",
            description="消防通道被杂物堵塞",
        )
    assert "found_on" in refused.value.message_dict
