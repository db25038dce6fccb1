"""Writing events through the service the views, API and importer share."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.events.models import Event
from sanling.events.services import event_create
from sanling.subjects.services import subject_create


def test_a_reference_already_used_is_refused_on_the_reference_field_in_chinese(county):
    village = subject_create(
        code="V1",
        name="东湾村",
        kind="village",
        region=county["dongwan"],
        joined_on=datetime.date(2021, 1, 1),
    )
    fields = {"subject": village, "type": "criminal_case", "title": "盗窃"}
    event_create(ref="E1", occurred_on=datetime.date(2021, 3, 1), **fields)
    with pytest.raises(ValidationError) as refused:
        event_create(ref="E1", occurred_on=datetime.date(2021, 4, 1), **fields)
    assert list(refused.value.message_dict) == ["ref"]
    assert "已存在" in refused.value.message_dict["ref"][0]
    assert Event.objects.filter(ref="E1").count() == 1
