"""Writing events through the service the views, API and importer share."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from sanling.events.models import Event
from sanling.events.services import event_create, event_update
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
    # Neutral on purpose (issue 14): the clash may be with another town's record.
    assert "不能使用" in refused.value.message_dict["ref"][0]
    assert Event.objects.filter(ref="E1").count() == 1


@pytest.fixture
def village(county):
    return subject_create(
        code="V1",
        name="东湾村",
        kind="village",
        region=county["dongwan"],
        joined_on=datetime.date(2021, 6, 1),
    )


def test_an_event_dated_before_its_subject_joined_is_refused_in_chinese(village):
    with pytest.raises(ValidationError) as refused:
        event_create(
            subject=village, type="criminal_case", title="盗窃", occurred_on=datetime.date(2021, 5, 31)
        )
    assert "纳入创建" in refused.value.message_dict["occurred_on"][0]
    assert not Event.objects.exists()


def test_an_event_dated_the_day_its_subject_joined_is_accepted(village):
    event_create(subject=village, type="criminal_case", title="盗窃", occurred_on=datetime.date(2021, 6, 1))
    assert Event.objects.count() == 1


def test_an_event_dated_before_the_earliest_year_is_refused_in_chinese(village, settings):
    settings.EARLIEST_YEAR = 2022
    with pytest.raises(ValidationError) as refused:
        event_create(
            subject=village, type="criminal_case", title="盗窃", occurred_on=datetime.date(2021, 7, 1)
        )
    assert "2022" in refused.value.message_dict["occurred_on"][0]


def test_an_event_dated_in_the_future_is_refused_in_chinese(village):
    with pytest.raises(ValidationError) as refused:
        event_create(
            subject=village, type="criminal_case", title="盗窃", occurred_on=datetime.date(2999, 1, 1)
        )
    assert "晚于今天" in refused.value.message_dict["occurred_on"][0]


def test_an_event_moved_to_a_date_before_its_subject_joined_is_refused(village):
    event = event_create(
        subject=village, type="criminal_case", title="盗窃", occurred_on=datetime.date(2022, 1, 1)
    )
    with pytest.raises(ValidationError):
        event_update(event=event, version=event.version, occurred_on=datetime.date(2020, 1, 1))
    assert Event.objects.get(pk=event.pk).occurred_on == datetime.date(2022, 1, 1)


def test_the_api_refuses_an_event_before_its_subject_joined_in_chinese(personas, api_as):
    response = api_as(personas["town_a"]).post(
        "/api/v1/events/",
        {"subject": "V1", "type": "criminal_case", "title": "盗窃", "occurred_on": "2020-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "纳入创建" in str(response.json())
