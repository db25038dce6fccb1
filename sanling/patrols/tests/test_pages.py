"""The patrol pages: the list with its figures, the log form a patroller fills in on a phone (a refused
form keeps what was typed, nothing is written), a log's page and the team pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sanling.patrols.models import PatrolLog, PatrolShift, PatrolTeam
from sanling.patrols.services import patrol_log_create

from .conftest import log_arguments

pytestmark = pytest.mark.django_db


def form_data(world, **overrides) -> dict:
    started = world["yesterday"]
    data = {
        "team": world["team"].pk,
        "shift": world["night"].pk,
        "region": world["grid"].code,
        "started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "ended_at": (started + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "route": "金牛社区东片",
        "defence_type": "人防",
        "participants": "4",
        "residents_contacted": "31",
        "findings": "",
        "open_case": "",
    }
    data.update(overrides)
    return data


def test_a_patroller_records_a_patrol(client, patrol_world):
    client.force_login(patrol_world["grid_a"])
    response = client.post(reverse("patrols:log_create"), form_data(patrol_world))
    log = PatrolLog.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "patrols:log", kwargs={"ref": log.ref}
    )
    assert (log.residents_contacted, log.shift, log.hours) == (31, patrol_world["night"], 3)


def test_a_refused_patrol_keeps_what_was_typed(client, patrol_world):
    client.force_login(patrol_world["grid_a"])
    started = patrol_world["yesterday"]
    response = client.post(
        reverse("patrols:log_create"),
        form_data(patrol_world, ended_at=(started - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "巡逻的结束时间必须晚于开始时间" in content
    assert "金牛社区东片" in content and 'value="31"' in content
    assert not PatrolLog.objects.exists()


def test_a_finding_opens_a_dispute_from_the_form(client, patrol_world):
    client.force_login(patrol_world["town_a"])
    client.post(
        reverse("patrols:log_create"),
        form_data(patrol_world, findings="邻里因噪音发生争执", open_case="dispute"),
    )
    log = PatrolLog.objects.get()
    assert log.dispute.summary == "邻里因噪音发生争执"


def test_an_area_of_another_town_is_not_offered(client, patrol_world):
    client.force_login(patrol_world["town_a"])
    response = client.post(
        reverse("patrols:log_create"), form_data(patrol_world, region=patrol_world["dongwan"].code)
    )
    assert "您的辖区内没有此代码的区域" in response.content.decode()
    assert not PatrolLog.objects.exists()


def test_the_log_form_fits_a_phone(client, patrol_world):
    client.force_login(patrol_world["grid_a"])
    content = client.get(reverse("patrols:log_create")).content.decode()
    assert 'name="viewport" content="width=device-width' in content
    assert 'type="datetime-local"' in content and 'list="area-options"' in content


def test_a_viewer_may_not_record_a_patrol(client, patrol_world):
    client.force_login(patrol_world["viewer"])
    assert client.get(reverse("patrols:log_create")).status_code == 403


def test_the_list_shows_the_months_patrols_and_residents_met(client, patrol_world):
    patrol_log_create(**log_arguments(patrol_world, residents_contacted=25))
    client.force_login(patrol_world["town_a"])
    period = patrol_world["yesterday"].strftime("%Y-%m")
    response = client.get(reverse("patrols:list"), {"period": period})
    content = response.content.decode()
    assert response.status_code == 200
    assert "金牛社区一网格沿街" not in content  # the route is on the log's page, not the list
    assert "见警群众人数" in content and ">25<" in content
    assert "金牛社区" in content  # the per-area table


def test_a_bad_period_is_said_in_chinese(client, patrol_world):
    client.force_login(patrol_world["town_a"])
    response = client.get(reverse("patrols:list"), {"period": "2026-13"})
    assert response.status_code == 200
    assert "不是" in response.content.decode()


def test_the_log_page_names_the_case_a_finding_opened(client, patrol_world):
    log = patrol_log_create(**log_arguments(patrol_world, findings="两户争执"), open_case="dispute")
    client.force_login(patrol_world["town_a"])
    content = client.get(reverse("patrols:log", kwargs={"ref": log.ref})).content.decode()
    assert log.dispute.ref in content and "人防" in content


def test_a_team_is_formed_with_its_shifts(client, patrol_world):
    client.force_login(patrol_world["town_a"])
    response = client.post(
        reverse("patrols:team_create"),
        {
            "region": patrol_world["shabei"].code,
            "name": "沙北街道守护队",
            "kind": "guard",
            "member_count": "20",
            "active": "on",
        },
    )
    team = PatrolTeam.objects.get(name="沙北街道守护队")
    assert response["Location"] == reverse("patrols:team", kwargs={"pk": team.pk})
    client.post(
        reverse("patrols:shift_create", kwargs={"pk": team.pk}),
        {"name": "白班", "starts_at": "08:00", "ends_at": "20:00"},
    )
    assert list(team.shifts.values_list("name", flat=True)) == ["白班"]


def test_a_second_shift_of_the_same_name_is_refused(client, patrol_world):
    client.force_login(patrol_world["town_a"])
    url = reverse("patrols:shift_create", kwargs={"pk": patrol_world["team"].pk})
    response = client.post(url, {"name": "白班", "starts_at": "09:00", "ends_at": "17:00"})
    assert response.status_code == 400
    assert "同名班次" in response.content.decode()
    assert PatrolShift.objects.filter(team=patrol_world["team"]).count() == 2


def test_a_team_edit_with_a_stale_version_says_so(client, patrol_world):
    client.force_login(patrol_world["town_a"])
    url = reverse("patrols:team_edit", kwargs={"pk": patrol_world["team"].pk})
    data = {"name": "新名字", "kind": "guard", "member_count": "12", "active": "on", "version": "1"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "name": "再改"})
    assert "他人已修改" in response.content.decode()
    assert PatrolTeam.objects.get(pk=patrol_world["team"].pk).name == "新名字"


def test_a_department_user_sees_no_patrols(client, patrol_world):
    patrol_log_create(**log_arguments(patrol_world))
    client.force_login(patrol_world["dept"])
    content = client.get(
        reverse("patrols:list"), {"period": timezone.localdate().strftime("%Y")}
    ).content.decode()
    assert "金牛" not in content


def test_a_department_user_may_not_record_a_patrol(client, patrol_world):
    client.force_login(patrol_world["dept"])
    assert client.get(reverse("patrols:log_create")).status_code == 403


def test_the_list_reads_a_bounded_number_of_queries(client, patrol_world, django_assert_max_num_queries):
    for days in range(1, 6):
        started = patrol_world["yesterday"] - datetime.timedelta(days=days)
        patrol_log_create(
            **log_arguments(patrol_world, started_at=started, ended_at=started + datetime.timedelta(hours=1))
        )
    client.force_login(patrol_world["town_a"])
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("patrols:list"), {"period": timezone.localdate().strftime("%Y")}).status_code
            == 200
        )


def test_a_grid_worker_logs_a_patrol_of_the_streets_team_in_their_community(client, patrol_world):
    from sanling.patrols.services import patrol_team_create

    street_team = patrol_team_create(region=patrol_world["shabei"], name="沙北守护队", kind="guard")
    client.force_login(patrol_world["grid_a"])
    response = client.post(
        reverse("patrols:log_create"), form_data(patrol_world, team=street_team.pk, shift="")
    )
    assert response.status_code == 302
    assert PatrolLog.objects.get().team == street_team


def test_a_grid_worker_may_not_change_the_streets_team(client, patrol_world):
    from sanling.patrols.services import patrol_team_create

    street_team = patrol_team_create(region=patrol_world["shabei"], name="沙北守护队", kind="guard")
    client.force_login(patrol_world["grid_a"])
    assert client.get(reverse("patrols:team_edit", kwargs={"pk": street_team.pk})).status_code == 403
    response = client.post(
        reverse("patrols:shift_create", kwargs={"pk": street_team.pk}),
        {"name": "夜班", "starts_at": "20:00", "ends_at": "08:00"},
    )
    assert response.status_code == 403
    assert not street_team.shifts.exists()


def test_a_department_user_is_not_offered_to_record_a_patrol(client, patrol_world):
    """Review of issue 15: 登记巡逻 showed to the department user and led to 403."""
    client.force_login(patrol_world["dept"])
    assert 'id="log-new"' not in client.get(reverse("patrols:list")).content.decode()
