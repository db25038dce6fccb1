"""The fixes of the review of issue 15 beyond the reviewer's own tests: a patrol's length bound and the
importer's earliest date, on create and on edit, in Chinese."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from sanling.patrols.models import PATROL_MAX_HOURS, PatrolLog
from sanling.patrols.services import patrol_log_create, patrol_log_update

from .conftest import log_arguments

pytestmark = pytest.mark.django_db


def test_a_patrol_of_a_whole_day_is_accepted(patrol_world):
    started = patrol_world["yesterday"] - datetime.timedelta(days=2)
    log = patrol_log_create(
        **log_arguments(
            patrol_world, started_at=started, ended_at=started + datetime.timedelta(hours=PATROL_MAX_HOURS)
        )
    )
    assert log.hours == PATROL_MAX_HOURS


def test_a_patrol_longer_than_a_day_is_refused_in_chinese(patrol_world):
    started = patrol_world["yesterday"] - datetime.timedelta(days=2)
    with override_settings(LANGUAGE_CODE="zh-hans"), pytest.raises(ValidationError) as refused:
        patrol_log_create(
            **log_arguments(
                patrol_world,
                started_at=started,
                ended_at=started + datetime.timedelta(hours=PATROL_MAX_HOURS, minutes=1),
            )
        )
    assert "最长" in refused.value.message_dict["ended_at"][0]
    assert not PatrolLog.objects.exists()


def test_an_edit_cannot_stretch_a_patrol_over_weeks(patrol_world):
    log = patrol_log_create(**log_arguments(patrol_world))
    with pytest.raises(ValidationError):
        patrol_log_update(
            log=log, version=log.version, started_at=log.started_at - datetime.timedelta(days=20)
        )
    assert PatrolLog.objects.get(pk=log.pk).started_at == log.started_at


def test_a_patrol_before_the_earliest_year_is_refused(patrol_world):
    """Same rule as the bundle importer's (``core.validators.record_date_problem``)."""
    started = patrol_world["yesterday"].replace(year=1990)
    with pytest.raises(ValidationError) as refused:
        patrol_log_create(
            **log_arguments(patrol_world, started_at=started, ended_at=started + datetime.timedelta(hours=2))
        )
    assert "started_at" in refused.value.message_dict
    assert not PatrolLog.objects.exists()


def test_the_log_form_says_a_month_long_patrol_is_too_long(client, patrol_world):
    from django.urls import reverse

    from .test_pages import form_data

    client.force_login(patrol_world["grid_a"])
    started = patrol_world["yesterday"] - datetime.timedelta(days=29)
    response = client.post(
        reverse("patrols:log_create"),
        form_data(
            patrol_world,
            started_at=started.strftime("%Y-%m-%dT%H:%M"),
            ended_at=(started + datetime.timedelta(days=29)).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert "一次巡逻最长 24 小时" in response.content.decode()
    assert not PatrolLog.objects.exists()
