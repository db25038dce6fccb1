"""Subject services' own rules, whichever screen, endpoint or file calls them."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.subjects.services import subject_update

pytestmark = pytest.mark.django_db


def test_a_subject_cannot_join_after_an_event_on_record(personas):
    # personas' 金牛社区 joined 2025-03-03 and has a case that day: joining later would leave the case
    # outside every period the subject counts in, while its dispute and case stay on its page.
    subject = personas["jinniu_village"]
    with pytest.raises(ValidationError) as refused:
        subject_update(subject=subject, version=subject.version, joined_on=datetime.date(2025, 6, 1))
    assert "2025-03-03" in refused.value.message_dict["joined_on"][0]


def test_a_subject_may_join_earlier_than_it_did(personas):
    subject = personas["jinniu_village"]
    changed = subject_update(subject=subject, version=subject.version, joined_on=datetime.date(2025, 1, 1))
    assert changed.joined_on == datetime.date(2025, 1, 1)
