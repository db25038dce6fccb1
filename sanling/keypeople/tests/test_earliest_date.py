"""Key people and their visits carry the earliest date every dated record and the bundle importer carry
(``core.validators.record_date_problem``)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.keypeople.models import KeyPerson, KeyPersonVisit
from sanling.keypeople.services import key_person_create

pytestmark = pytest.mark.django_db
LONG_AGO = datetime.date(1990, 1, 1)


def test_a_key_person_registered_before_the_earliest_year_is_refused(personas):
    with pytest.raises(ValidationError) as refused:
        key_person_create(
            actor=None,
            ref="KP-OLD",
            region=personas["jinniu"],
            category="mental_disorder",
            risk_level="medium",
            name="某某",
            id_number="110105199003075079",
            registered_on=LONG_AGO,
        )
    assert "registered_on" in refused.value.message_dict
    assert not KeyPerson.objects.filter(ref="KP-OLD").exists()


def test_a_key_person_visit_before_the_earliest_year_is_invalid(people):
    visit = KeyPersonVisit(person=people["person_a"], visited_on=LONG_AGO)
    with pytest.raises(ValidationError) as refused:
        visit.full_clean()
    assert "visited_on" in refused.value.message_dict
