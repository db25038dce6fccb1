"""The 积案 ledger from the web: "建立工作台账，明确化解责任单位、责任人和化解时限" (中站区), with the 包案领导
and the 四定四包 checklist (the county's dictionary list), ticked item by item; overdue deadlines in red.
Any open case can be flagged: a petition from its page, a dispute through the same form."""

import datetime

import pytest
from django.urls import reverse

from sanling.disputes.services import dispute_create
from sanling.petitions.models import Backlog
from sanling.petitions.services import backlog_flag, petition_accept, petition_conclude, petition_reply

from .conftest import DAY

pytestmark = pytest.mark.django_db


def flag(client, item, **fields):
    data = {
        "backlog-on": "2025-04-01",
        "backlog-responsible_organisation": "",
        "backlog-responsible_person": "王主任",
        "backlog-leader": "李书记",
        "backlog-deadline": "2025-06-30",
        "next": reverse("petitions:detail", kwargs={"ref": item.ref}),
        **fields,
    }
    return client.post(reverse("petitions:backlog_flag", kwargs={"ref": item.ref}), data)


def tick(client, entry, code: str, on: str = "2025-04-10", done: bool = True):
    data = {"code": code, "on": on, "version": str(Backlog.objects.get(pk=entry.pk).version)}
    if done:
        data["done"] = "on"
    return client.post(reverse("petitions:backlog_tick", kwargs={"ref": entry.item.ref}), data)


@pytest.fixture
def flagged(petitions):
    return backlog_flag(
        item=petitions["petition_a"].case,
        on=datetime.date(2025, 4, 1),
        responsible_organisation=petitions["org_shabei"],
        responsible_person="王主任",
        leader="李书记",
        deadline=datetime.date(2025, 6, 30),
    )


def test_a_petition_is_flagged_from_its_page_with_its_responsibilities(client, petitions):
    client.force_login(petitions["town_a"])
    petition = petitions["petition_a"]
    page = client.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert 'id="backlog-flag"' in page
    response = flag(
        client, petition.case, **{"backlog-responsible_organisation": str(petitions["org_shabei"].pk)}
    )
    assert response.status_code == 302 and response.url == reverse(
        "petitions:detail", kwargs={"ref": petition.ref}
    )
    entry = Backlog.objects.get(item=petition.case)
    assert (entry.responsible_person, entry.leader, entry.deadline) == (
        "王主任",
        "李书记",
        datetime.date(2025, 6, 30),
    )
    assert set(entry.checklist) == {
        "fix_leader",
        "fix_staff",
        "fix_plan",
        "fix_deadline",
        "own_investigation",
        "own_handling",
        "own_resolution",
        "own_stability",
    }
    page = client.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert (
        'id="backlog"' in page and "包案领导" in page and "定领导" in page and 'id="backlog-flag"' not in page
    )


def test_a_deadline_before_the_flag_is_refused_and_keeps_the_input(client, petitions):
    client.force_login(petitions["town_a"])
    item = petitions["petition_a"].case
    response = flag(
        client,
        item,
        **{
            "backlog-responsible_organisation": str(petitions["org_shabei"].pk),
            "backlog-deadline": "2025-03-01",
        },
    )
    content = response.content.decode()
    assert response.status_code == 400 and "化解时限不能早于" in content and 'value="王主任"' in content
    assert not Backlog.objects.exists()


def test_a_dispute_can_be_flagged_through_the_same_form(client, petitions):
    dispute = dispute_create(subject=petitions["jinniu_village"], reported_on=DAY, summary="宅基地纠纷")
    client.force_login(petitions["town_a"])
    response = flag(
        client, dispute.case, next="", **{"backlog-responsible_organisation": str(petitions["org_jinniu"].pk)}
    )
    assert response.status_code == 302
    assert Backlog.objects.get(item=dispute.case).responsible_organisation == petitions["org_jinniu"]
    assert dispute.case.ref in client.get(reverse("petitions:backlog")).content.decode()


def test_a_closed_case_cannot_be_flagged(client, petitions):
    petition = petitions["petition_a"]
    petition_accept(petition=petition, on=datetime.date(2025, 3, 4))
    petition_reply(petition=petition, on=datetime.date(2025, 3, 5))
    petition_conclude(petition=petition, on=datetime.date(2025, 3, 6))
    client.force_login(petitions["town_a"])
    response = flag(
        client, petition.case, **{"backlog-responsible_organisation": str(petitions["org_shabei"].pk)}
    )
    assert response.status_code == 409 and "已办结的案件不能列入积案" in response.content.decode()


def test_the_ledger_shows_the_case_with_its_deadline_overdue_in_red(client, petitions, flagged):
    client.force_login(petitions["town_a"])
    content = client.get(reverse("petitions:backlog")).content.decode()
    assert "王主任" in content and "李书记" in content and "沙北街道矛调中心" in content
    assert '<span class="overdue">2025-06-30' in content


def test_ticking_and_unticking_a_checklist_item(client, petitions, flagged):
    client.force_login(petitions["town_a"])
    assert tick(client, flagged, "fix_leader").status_code == 302
    assert Backlog.objects.get(pk=flagged.pk).checklist["fix_leader"] == "2025-04-10"
    content = client.get(reverse("petitions:backlog")).content.decode()
    assert 'data-code="fix_leader" class="done"' in content
    assert tick(client, flagged, "fix_leader", done=False).status_code == 302
    assert Backlog.objects.get(pk=flagged.pk).checklist["fix_leader"] == ""


def test_ticking_without_a_date_or_an_unknown_item_changes_nothing(client, petitions, flagged):
    client.force_login(petitions["town_a"])
    response = tick(client, flagged, "fix_leader", on="")
    assert "请填写该项完成的日期" in client.get(response.url).content.decode()
    response = tick(client, flagged, "no_such_item")
    assert "不是该清单的事项" in client.get(response.url).content.decode()
    assert Backlog.objects.get(pk=flagged.pk).checklist == flagged.checklist


def test_a_viewer_sees_the_ledger_without_tick_forms_and_cannot_tick(client, petitions, flagged):
    client.force_login(petitions["viewer"])
    content = client.get(reverse("petitions:backlog")).content.decode()
    assert "王主任" in content and "backlog_tick" not in content and "/tick/" not in content
    assert tick(client, flagged, "fix_leader").status_code == 403


def test_another_towns_backlog_case_is_404(client, petitions, flagged):
    client.force_login(petitions["town_b"])
    assert tick(client, flagged, "fix_leader").status_code == 404
    assert "王主任" not in client.get(reverse("petitions:backlog")).content.decode()
