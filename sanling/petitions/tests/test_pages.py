"""The petition pages: the list and its filters, registering a petition (the petitioner validated), and a
petition's page with its deadlines, its event, its subject's status and its timeline."""

import datetime

import pytest
from django.urls import reverse

from sanling.petitions.models import Petition
from sanling.petitions.services import backlog_flag, petition_accept

from .conftest import DAY, ID_NUMBER, NAME, PHONE

pytestmark = pytest.mark.django_db


def listed(client, **filters) -> set[str]:
    response = client.get(reverse("petitions:list"), filters)
    assert response.status_code == 200
    return {row["ref"] for row in _rows(response.content.decode())}


def _rows(html: str) -> list[dict]:
    import re

    return [{"ref": ref} for ref in re.findall(r'<tr data-ref="([^"]+)"', html)]


def page(client, petition) -> str:
    response = client.get(reverse("petitions:detail", kwargs={"ref": petition.ref}))
    assert response.status_code == 200
    return response.content.decode()


def register(client, **fields):
    data = {
        "subject_code": "V1",
        "received_on": "2025-03-05",
        "channel": "visit",
        "visit_mode": "open_door",
        "level": "town",
        "summary": "小区停车位纠纷",
        "petitioner_name": NAME,
        "petitioner_id_number": ID_NUMBER,
        "petitioner_phone": PHONE,
        "people_count": "1",
        "claim": "",
        **fields,
    }
    return client.post(reverse("petitions:create"), data)


def test_the_list_shows_the_petitions_of_the_users_area_only(client, petitions):
    client.force_login(petitions["town_a"])
    assert listed(client) == {petitions["petition_a"].ref}


def test_the_list_filters_by_step_level_channel_overdue_and_backlog(client, petitions):
    client.force_login(petitions["admin_user"])
    a, b = petitions["petition_a"], petitions["petition_b"]
    petition_accept(petition=b, on=DAY + datetime.timedelta(days=2))
    backlog_flag(
        item=a.case,
        on=DAY + datetime.timedelta(days=3),
        responsible_organisation=petitions["org_shabei"],
        responsible_person="王主任",
        leader="李书记",
        deadline=datetime.date(2025, 6, 30),
    )
    assert listed(client, step="received") == {a.ref}
    assert listed(client, step="handling") == {b.ref}
    assert listed(client, channel="letter") == {b.ref}
    assert listed(client, level="town") == {a.ref, b.ref}
    assert listed(client, backlog="yes") == {a.ref}
    assert listed(client, backlog="no") == {b.ref}
    assert listed(client, overdue="yes") == {a.ref, b.ref}  # both past their due date today
    assert listed(client, region=petitions["shangqiao"].code) == {b.ref}
    assert listed(client, received_from="2025-03-04") == set()


def test_a_filter_outside_the_area_is_a_chinese_message_and_no_rows(client, petitions):
    client.force_login(petitions["town_a"])
    response = client.get(reverse("petitions:list"), {"region": petitions["shangqiao"].code})
    assert response.status_code == 400
    assert (
        "你的辖区内没有这个代码" in response.content.decode() or "filter-errors" in response.content.decode()
    )
    assert not _rows(response.content.decode())


def test_a_petition_registered_on_the_web_keeps_the_petitioner_encrypted_and_shows_it_masked(
    client, petitions
):
    client.force_login(petitions["town_a"])
    response = register(client)
    petition = Petition.objects.get(summary="小区停车位纠纷")
    assert response.status_code == 302 and response.url == reverse(
        "petitions:detail", kwargs={"ref": petition.ref}
    )
    assert (petition.petitioner_name, petition.petitioner_id_number, petition.petitioner_phone) == (
        NAME,
        ID_NUMBER,
        PHONE,
    )
    content = page(client, petition)
    assert "欧阳**" in content and "1101**********002X" in content and "138****5678" in content
    assert NAME not in content and ID_NUMBER not in content and PHONE not in content


def test_a_wrong_id_number_is_refused_in_chinese_and_nothing_is_written(client, petitions):
    client.force_login(petitions["town_a"])
    response = register(client, petitioner_id_number="110105194912310021")
    assert response.status_code == 200
    assert "不是有效的居民身份证号码" in response.content.decode()
    assert (
        'value="小区停车位纠纷"' in response.content.decode() or "小区停车位纠纷" in response.content.decode()
    )
    assert not Petition.objects.filter(summary="小区停车位纠纷").exists()


def test_a_wrong_phone_is_refused_in_chinese(client, petitions):
    client.force_login(petitions["town_a"])
    response = register(client, petitioner_phone="12345")
    assert "不是有效的电话号码" in response.content.decode()
    assert not Petition.objects.filter(summary="小区停车位纠纷").exists()


def test_a_collective_petition_of_fewer_than_five_people_is_refused(client, petitions):
    client.force_login(petitions["town_a"])
    response = register(client, collective="on", people_count="3")
    assert "集体访" in response.content.decode()
    assert not Petition.objects.filter(summary="小区停车位纠纷").exists()


def test_a_county_petition_registered_on_the_web_records_its_event_and_shows_it(client, petitions):
    client.force_login(petitions["town_a"])
    register(client, level="county", bypass="on")
    petition = Petition.objects.get(summary="小区停车位纠纷")
    assert petition.event is not None and petition.event.ref == petition.ref and petition.bypass
    content = page(client, petition)
    assert 'id="petition-event"' in content and petition.event.ref in content
    assert "2025年 未达标" in content  # the subject's current status: its zero petitions is broken this year


def test_the_page_shows_every_field_the_deadlines_overdue_in_red_and_the_timeline(client, petitions):
    client.force_login(petitions["town_a"])
    petition = petitions["petition_a"]
    content = page(client, petition)
    assert petition.ref in content and "开门接访" in content and "金牛社区" in content
    # received 2025-03-03 under the 《信访工作条例》 preset: 受理告知 due 15 days later, long past today
    assert '<td class="overdue">2025-03-18</td>' in content and 'id="overdue"' in content
    assert 'class="timeline"' in content and 'class="attachments"' in content


def test_the_page_offers_only_the_moves_the_step_allows(client, petitions):
    client.force_login(petitions["town_a"])
    content = page(client, petitions["petition_a"])
    assert 'id="action-accept"' in content and 'id="action-escalate"' in content
    for action in ("extend", "reply", "review", "conclude"):
        assert f'id="action-{action}"' not in content


def test_a_viewer_reads_the_page_without_forms_and_cannot_register(client, petitions):
    client.force_login(petitions["viewer"])
    content = page(client, petitions["petition_a"])
    assert 'id="action-' not in content and "backlog-flag" not in content
    assert client.get(reverse("petitions:create")).status_code == 403
    url = reverse("petitions:act", kwargs={"ref": petitions["petition_a"].ref, "action": "accept"})
    assert client.post(url, {"accept-on": "2025-03-05"}).status_code == 403


def test_an_outsider_gets_404_for_another_towns_petition(client, petitions):
    client.force_login(petitions["town_a"])
    ref = petitions["petition_b"].ref
    assert client.get(reverse("petitions:detail", kwargs={"ref": ref})).status_code == 404
    assert client.post(reverse("petitions:act", kwargs={"ref": ref, "action": "accept"})).status_code == 404
    assert (
        client.post(reverse("petitions:unmask", kwargs={"ref": ref}), {"reason": "核实"}).status_code == 404
    )


def test_the_navigation_offers_petitions_to_business_roles_only(client, petitions, duty_holders):
    client.force_login(petitions["viewer"])
    assert reverse("petitions:list") in client.get(reverse("petitions:backlog")).content.decode()
    client.force_login(duty_holders["sysadmin"])
    assert (
        f'href="{reverse("petitions:list")}"'
        not in client.get(reverse("accounts:password_change")).content.decode()
    )


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["petitions:list", "petitions:backlog", "petitions:agency"])
def test_a_list_page_reads_a_fixed_number_of_queries_whatever_its_rows(client, petitions, name):
    from sanling.petitions.services import agency_create, petition_create

    client.force_login(petitions["town_a"])
    few = None
    for number in range(5):
        petition = petition_create(
            subject=petitions["jinniu_village"],
            received_on=DAY,
            level="town",
            channel="visit",
            summary=f"第{number}件",
        )
        backlog_flag(
            item=petition.case,
            on=DAY,
            responsible_organisation=petitions["org_shabei"],
            responsible_person="王主任",
            leader="李书记",
            deadline=datetime.date(2025, 6, 30),
        )
        agency_create(subject=petitions["jinniu_village"], applied_on=DAY, summary=f"代理第{number}件")
        few = few or _count_queries(client, reverse(name))  # with one row of each
    assert _count_queries(client, reverse(name)) == few
