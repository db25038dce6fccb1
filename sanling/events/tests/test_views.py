"""Reporting from the web: validation in Chinese, live rates, and edits that never overwrite each other."""

import datetime

import pytest
from django.urls import reverse

from sanling.assessment.periods import Period
from sanling.assessment.selectors import region_rates
from sanling.events.models import Event
from sanling.events.services import event_update

pytestmark = pytest.mark.django_db


def village_rate(region, period="2025"):
    (row,) = region_rates(region=region, period=Period.parse(period), group="village")
    return row.compliant, row.active


def test_a_grid_worker_reports_a_case_and_the_village_fails_at_once(client, personas):
    client.force_login(personas["grid_a"])
    assert village_rate(personas["shabei"]) == (0, 1)  # 金牛 already has a case in March
    event = Event.objects.get(title="金牛盗窃案")
    client.post(reverse("events:delete", kwargs={"pk": event.pk}), {"version": event.version})
    assert village_rate(personas["shabei"]) == (1, 1)
    response = client.post(
        reverse("events:create"),
        {
            "subject_code": "V1",
            "type": "security_case",
            "occurred_on": "2025-04-02",
            "title": "打架斗殴",
            "status": "reported",
            "deaths": 0,
            "injuries": 0,
        },
    )
    assert response.status_code == 302
    assert village_rate(personas["shabei"]) == (0, 1)


def test_the_form_explains_in_chinese_what_is_wrong(client, personas):
    client.force_login(personas["grid_a"])
    response = client.post(
        reverse("events:create"),
        {
            "subject_code": "V1",
            "type": "accident",
            "occurred_on": "2025-04-02",
            "title": "事故",
            "accident_grade": "general",
            "deaths": 5,
            "injuries": 0,
            "status": "reported",
        },
    )
    assert response.status_code == 200
    assert "至少为“较大”事故" in response.content.decode()
    assert not Event.objects.filter(title="事故").exists()


def test_a_subject_outside_the_users_area_cannot_be_chosen(client, personas):
    client.force_login(personas["grid_a"])
    response = client.post(
        reverse("events:create"),
        {
            "subject_code": "V2",
            "type": "criminal_case",
            "occurred_on": "2025-04-02",
            "title": "x",
            "status": "reported",
            "deaths": 0,
            "injuries": 0,
        },
    )
    assert "辖区内没有编码或名称为“V2”的创建主体" in response.content.decode()


def test_the_second_of_two_editors_gets_a_conflict_and_loses_nothing(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    form = {
        "subject_code": "V1",
        "type": "criminal_case",
        "occurred_on": "2025-03-03",
        "title": "我的修改",
        "status": "closed",
        "deaths": 0,
        "injuries": 0,
        "version": event.version,
    }
    event_update(event=event, version=event.version, title="别人先改了")  # someone saves first
    response = client.post(reverse("events:edit", kwargs={"pk": event.pk}), form)
    content = response.content.decode()
    assert response.status_code == 200
    assert "他人已修改" in content and "别人先改了" in content
    assert 'value="我的修改"' in content  # the editor's own input is still in the form
    assert Event.objects.get(pk=event.pk).title == "别人先改了"


def test_an_edit_with_the_current_version_is_saved(client, personas):
    event = personas["event_a"]
    client.force_login(personas["town_a"])
    client.post(
        reverse("events:edit", kwargs={"pk": event.pk}),
        {
            "subject_code": "V1",
            "type": "criminal_case",
            "occurred_on": "2025-03-03",
            "title": "已更正",
            "status": "closed",
            "deaths": 0,
            "injuries": 0,
            "version": event.version,
        },
    )
    event.refresh_from_db()
    assert (event.title, event.version) == ("已更正", 2)


def test_the_report_form_opens_with_todays_date_and_the_chosen_subject(client, personas):
    client.force_login(personas["grid_a"])
    content = client.get(reverse("events:create") + "?subject=V1").content.decode()
    assert 'value="V1"' in content
    assert datetime.date.today().isoformat() in content  # noqa: DTZ011 - the form's default is the local date


def report(client, subject_text):
    return client.post(
        reverse("events:create"),
        {
            "subject_code": subject_text,
            "type": "criminal_case",
            "occurred_on": "2025-04-02",
            "title": "按名称上报",
            "status": "reported",
            "deaths": 0,
            "injuries": 0,
        },
    )


def test_a_subject_can_be_named_instead_of_coded(client, personas):
    client.force_login(personas["grid_a"])
    assert report(client, "金牛社区").status_code == 302
    assert Event.objects.get(title="按名称上报").subject == personas["jinniu_village"]


def test_a_name_outside_the_users_area_is_not_found(client, personas):
    client.force_login(personas["grid_a"])
    content = report(client, "东湾村").content.decode()
    assert "辖区内没有编码或名称为“东湾村”的创建主体" in content
    assert not Event.objects.filter(title="按名称上报").exists()


def test_a_name_shared_by_two_subjects_asks_for_the_code(client, personas):
    from sanling.subjects.services import subject_create

    subject_create(
        code="U9",
        name="实验小学",
        kind="institution",
        category="school",
        region=personas["jinniu"],
        department=personas["education"],
        joined_on=datetime.date(2025, 1, 1),
    )
    client.force_login(personas["town_a"])
    content = report(client, "实验小学").content.decode()
    assert "有 2 个创建主体名为“实验小学”" in content and "U1" in content and "U9" in content
    assert not Event.objects.filter(title="按名称上报").exists()


def test_the_subject_search_offers_names_with_their_codes_in_scope_only(client, personas):
    client.force_login(personas["town_a"])
    content = client.get(reverse("subjects:search"), {"q": "东湾"}).content.decode()
    assert "东湾" not in content
    content = client.get(reverse("subjects:search"), {"q": "金牛"}).content.decode()
    assert 'value="V1"' in content and "金牛社区（V1）" in content
