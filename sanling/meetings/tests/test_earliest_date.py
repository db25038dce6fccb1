"""A meeting carries the earliest date every dated record and the bundle importer carry
(``core.validators.record_date_problem``), on create and on edit."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.meetings.models import Meeting
from sanling.meetings.services import meeting_create, meeting_update

from .conftest import five_present

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(1990, 1, 1)


def test_a_meeting_before_the_earliest_year_is_refused(meeting_world):
    with pytest.raises(ValidationError) as refused:
        meeting_create(
            region=meeting_world["jinniu"], kind="510圆桌议事会", held_on=LONG_AGO, attendance=five_present()
        )
    assert "held_on" in refused.value.message_dict
    assert not Meeting.objects.exists()


def test_a_meeting_cannot_be_moved_before_the_earliest_year(meeting_world):
    meeting = meeting_create(
        region=meeting_world["jinniu"],
        kind="510圆桌议事会",
        held_on=meeting_world["today"],
        attendance=five_present(),
    )
    with pytest.raises(ValidationError) as refused:
        meeting_update(meeting=meeting, version=meeting.version, held_on=LONG_AGO)
    assert "held_on" in refused.value.message_dict
    assert Meeting.objects.get(pk=meeting.pk).held_on == meeting_world["today"]
