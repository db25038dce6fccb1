"""Registering disputes through the service the views, API and importer share."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create
from sanling.subjects.services import subject_create


@pytest.fixture
def village(county):
    return subject_create(
        code="V1",
        name="东湾村",
        kind="village",
        region=county["dongwan"],
        joined_on=datetime.date(2021, 6, 1),
    )


def test_a_dispute_registered_before_its_subject_joined_is_refused_in_chinese(village):
    with pytest.raises(ValidationError) as refused:
        dispute_create(subject=village, summary="地界", reported_on=datetime.date(2021, 5, 31))
    assert "纳入创建" in refused.value.message_dict["reported_on"][0]
    assert not Dispute.objects.exists()


def test_a_dispute_registered_before_the_earliest_year_is_refused_in_chinese(village, settings):
    settings.EARLIEST_YEAR = 2022
    with pytest.raises(ValidationError) as refused:
        dispute_create(subject=village, summary="地界", reported_on=datetime.date(2021, 7, 1))
    assert "2022" in refused.value.message_dict["reported_on"][0]
