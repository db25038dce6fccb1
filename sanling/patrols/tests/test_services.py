"""The patrol services: a team in shifts, a log with its 四防 type, and a finding that opens a hazard or a
dispute in the same transaction. Seeds (郾城区 沙北): "为最大限度提高群众见警率,巡逻队实行分班制,24小时在社区巡逻。"
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanling.accounts.scope import scope_for
from sanling.disputes.models import Dispute
from sanling.hazards.models import Hazard
from sanling.patrols.models import PatrolLog, PatrolShift, PatrolTeam
from sanling.patrols.services import (
    patrol_log_create,
    patrol_log_update,
    patrol_shift_create,
    patrol_team_create,
    patrol_team_update,
)

from .conftest import log_arguments

pytestmark = pytest.mark.django_db


def test_the_four_defence_types_are_seeded():
    from sanling.dictionary.selectors import enabled_codes

    assert {"人防", "技防", "物防", "心防"} <= enabled_codes("defence_type")


def test_a_night_shift_may_run_past_midnight(patrol_world):
    assert patrol_world["night"].starts_at > patrol_world["night"].ends_at


def test_a_shift_ending_when_it_starts_is_refused(patrol_world):
    with pytest.raises(ValidationError) as error:
        patrol_shift_create(
            team=patrol_world["team"], name="错班", starts_at=datetime.time(8), ends_at=datetime.time(8)
        )
    assert "结束" in str(error.value)
    assert not PatrolShift.objects.filter(name="错班").exists()


def test_a_team_outside_the_writers_area_is_refused(patrol_world):
    scope = scope_for(patrol_world["town_a"])
    with pytest.raises(ValidationError) as error:
        patrol_team_create(region=patrol_world["dongwan"], name="越界巡逻队", kind="guard", scope=scope)
    assert "区域" in str(error.value)
    assert not PatrolTeam.objects.filter(name="越界巡逻队").exists()


def test_a_patrol_is_recorded_with_its_hours(patrol_world):
    log = patrol_log_create(**log_arguments(patrol_world), scope=scope_for(patrol_world["town_a"]))
    assert log.ref.startswith("XF")
    assert log.hours == 2
    assert log.hazard is None and log.dispute is None


def test_a_patrol_ending_before_it_started_is_refused(patrol_world):
    started = patrol_world["yesterday"]
    with pytest.raises(ValidationError) as error:
        patrol_log_create(**log_arguments(patrol_world, ended_at=started - datetime.timedelta(minutes=1)))
    assert "结束" in str(error.value.message_dict["ended_at"])
    assert not PatrolLog.objects.exists()


def test_a_patrol_in_the_future_is_refused(patrol_world):
    started = timezone.now() + datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        patrol_log_create(
            **log_arguments(patrol_world, started_at=started, ended_at=started + datetime.timedelta(hours=1))
        )
    assert "将来" in str(error.value.message_dict["started_at"])
    assert not PatrolLog.objects.exists()


def test_a_defence_type_outside_the_list_is_refused(patrol_world):
    with pytest.raises(ValidationError) as error:
        patrol_log_create(**log_arguments(patrol_world, defence_type="天防"))
    assert "天防" in str(error.value.message_dict["defence_type"])
    assert not PatrolLog.objects.exists()


def test_an_area_outside_the_teams_region_is_refused(patrol_world):
    with pytest.raises(ValidationError) as error:
        patrol_log_create(**log_arguments(patrol_world, region=patrol_world["dongwan"]))
    assert "巡逻队" in str(error.value.message_dict["region"])
    assert not PatrolLog.objects.exists()


def test_an_area_outside_the_writers_scope_is_refused(patrol_world):
    team_b = patrol_team_create(region=patrol_world["dongwan"], name="东湾巡逻队", kind="guard")
    with pytest.raises(ValidationError) as error:
        patrol_log_create(
            **log_arguments(patrol_world, team=team_b, shift=None, region=patrol_world["dongwan"]),
            scope=scope_for(patrol_world["town_a"]),
        )
    assert "区域" in str(error.value.message_dict["region"])
    assert not PatrolLog.objects.exists()


def test_a_shift_of_another_team_is_refused(patrol_world):
    other = patrol_team_create(region=patrol_world["jinniu"], name="金牛志愿巡逻队", kind="volunteer")
    other_shift = patrol_shift_create(
        team=other, name="白班", starts_at=datetime.time(8), ends_at=datetime.time(18)
    )
    with pytest.raises(ValidationError) as error:
        patrol_log_create(**log_arguments(patrol_world, shift=other_shift))
    assert "shift" in error.value.message_dict
    assert not PatrolLog.objects.exists()


def test_a_finding_opens_a_hazard_at_the_areas_community_with_its_grid(patrol_world):
    log = patrol_log_create(
        **log_arguments(patrol_world, findings="楼道堆放杂物堵塞消防通道"),
        open_case="hazard",
        hazard_category="消防安全",
        hazard_level="general",
    )
    hazard = Hazard.objects.get(pk=log.hazard_id)
    assert hazard.subject == patrol_world["jinniu_village"]
    assert hazard.grid == patrol_world["grid"]
    assert hazard.found_on == patrol_world["yesterday"].date()


def test_a_finding_opens_a_dispute(patrol_world):
    log = patrol_log_create(
        **log_arguments(patrol_world, findings="两户居民因停车位争吵"), open_case="dispute"
    )
    dispute = Dispute.objects.get(pk=log.dispute_id)
    assert dispute.subject == patrol_world["jinniu_village"]
    assert dispute.summary == "两户居民因停车位争吵"
    assert dispute.case is not None


def test_a_hazard_without_a_category_writes_neither_log_nor_hazard(patrol_world):
    with pytest.raises(ValidationError) as error:
        patrol_log_create(
            **log_arguments(patrol_world, findings="井盖缺失"), open_case="hazard", hazard_category=""
        )
    assert "hazard_category" in error.value.message_dict
    assert not PatrolLog.objects.exists()
    assert not Hazard.objects.exists()


def test_opening_a_case_without_findings_is_refused(patrol_world):
    with pytest.raises(ValidationError) as error:
        patrol_log_create(**log_arguments(patrol_world), open_case="dispute")
    assert "findings" in error.value.message_dict
    assert not Dispute.objects.filter(subject=patrol_world["jinniu_village"], summary="").exists()


def test_an_edit_with_a_stale_version_changes_nothing(patrol_world):
    from sanling.core.concurrency import StaleVersion

    log = patrol_log_create(**log_arguments(patrol_world))
    patrol_log_update(log=log, version=1, residents_contacted=30)
    with pytest.raises(StaleVersion):
        patrol_log_update(log=log, version=1, residents_contacted=40)
    log.refresh_from_db()
    assert (log.residents_contacted, log.version) == (30, 2)


def test_a_team_is_retired_not_deleted(patrol_world):
    team = patrol_team_update(team=patrol_world["team"], version=1, active=False)
    assert team.active is False and team.version == 2


def test_a_patrol_is_audited_in_its_areas_county(patrol_world):
    from sanling.audit.models import AuditEntry

    log = patrol_log_create(**log_arguments(patrol_world))
    entry = AuditEntry.objects.get(object_type="patrollog", object_key=log.ref)
    assert entry.action == "create" and entry.region_path == patrol_world["grid"].path
    assert entry.chain == patrol_world["county"].code
