"""The dispute case page: a handler reads the case and moves it up the 三级过滤网 ("小事不出村、大事不出乡")
from a phone, one small form per move the transition table allows; a refused move, a bad date or a stale
page shows the Chinese message, keeps what was typed and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from sanling.disputes.models import Dispute
from sanling.disputes.services import dispute_create, dispute_mediate, dispute_resolve
from sanling.petitions.models import Petition
from sanling.work.models import TimelineEntry

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 3, 3)


@pytest.fixture
def dispute(casework):
    """A dispute of 金牛社区 registered at the 组 level, with 金牛's 调委会 (the first filter of the three)."""
    return dispute_create(
        subject=casework["jinniu_village"], reported_on=DAY, summary="宅基地边界纠纷", category=""
    )


def page(client, dispute) -> str:
    response = client.get(reverse("disputes:case", kwargs={"ref": dispute.ref}))
    assert response.status_code == 200
    return response.content.decode()


def move(client, dispute, name: str, **data):
    fresh = Dispute.objects.get(pk=dispute.pk)
    return client.post(
        reverse(f"disputes:{name}", kwargs={"ref": dispute.ref}), {"version": fresh.version, **data}
    )


def test_the_case_page_shows_the_case_its_holder_and_its_timeline(client, casework, dispute):
    client.force_login(casework["town_a"])
    content = page(client, dispute)
    assert "宅基地边界纠纷" in content and dispute.ref in content
    assert "金牛社区人民调解委员会" in content  # the 组's filter: the village committee has it
    assert 'id="case-level">村民组' in content
    assert "办理记录" in content and "timeline-entry" in content  # the shared timeline
    assert "金牛社区" in content and "达标" in content  # the subject and its status this month


def test_an_overdue_case_shows_its_due_date_in_red(client, casework, dispute):
    client.force_login(casework["town_a"])
    assert dispute.case.due_on < timezone.localdate()
    assert 'id="case-due" class="overdue"' in page(client, dispute)


def test_a_handler_mediates_escalates_and_resolves_through_the_web(client, casework, dispute):
    client.force_login(casework["grid_a"])
    response = move(client, dispute, "mediate", on="2025-03-04", diagnosis="clinic", note="门诊登记")
    assert response.status_code == 302 and response.url == reverse("disputes:case", args=[dispute.ref])
    response = move(client, dispute, "escalate", on="2025-03-06", to_level="village", note="组内调解未果")
    assert response.status_code == 302
    response = move(
        client,
        dispute,
        "resolve",
        on="2025-03-09",
        level="village",
        method="people",
        agreement="双方各退一步",
    )
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert (dispute.status, dispute.resolved_level, dispute.method) == ("resolved", "village", "people")
    assert (
        dispute.agreement == "双方各退一步" and dispute.diagnosis == ""
    )  # the 门诊 tag stayed with the village
    actions = list(dispute.case.timeline.order_by("on", "pk").values_list("action", flat=True))
    assert actions == ["register", "mediate", "escalate", "resolve"]
    content = page(client, dispute)
    assert "双方各退一步" in content and "组内调解未果" in content
    assert 'data-move="follow_up"' in content and 'data-move="mediate"' not in content


def test_a_resolved_case_gets_its_follow_up_visit(client, casework, dispute):
    dispute_resolve(dispute=dispute, on=DAY, method="people")
    client.force_login(casework["town_a"])
    assert move(client, dispute, "follow_up", on="2025-03-20", satisfaction="satisfied").status_code == 302
    dispute.refresh_from_db()
    assert (dispute.follow_up_on, dispute.satisfaction) == (datetime.date(2025, 3, 20), "satisfied")
    assert "满意" in page(client, dispute)


def test_a_failed_mediation_closes_the_case_and_may_still_go_to_court(client, casework, dispute):
    client.force_login(casework["town_a"])
    assert move(client, dispute, "fail", on="2025-03-05", note="双方分歧过大").status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "failed" and dispute.case.closed_on == datetime.date(2025, 3, 5)
    content = page(client, dispute)
    assert 'data-move="to_litigation"' in content and 'data-move="to_petition"' in content
    assert 'data-move="resolve"' not in content
    assert move(client, dispute, "to_litigation", on="2025-03-07").status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == "litigated"


def test_turned_into_a_county_petition_the_page_shows_the_petition_and_its_event(client, casework, dispute):
    client.force_login(casework["town_a"])
    today = timezone.localdate()
    response = move(
        client,
        dispute,
        "to_petition",
        on=today.isoformat(),
        petition_level="county",
        channel="visit",
        petitioner_name="张三",
        petitioner_phone="13912345678",
    )
    assert response.status_code == 302
    petition = Petition.objects.get(from_dispute=dispute)
    assert petition.ref == dispute.ref and petition.event is not None  # 一案一码: the same ref all along
    content = page(client, dispute)
    assert 'id="case-petition"' in content and 'id="case-event"' in content
    assert petition.event.title in content
    assert "张三" not in content  # the petitioner is personal data: never in clear on this page
    assert "未达标" in content  # the county petition breaks 零上访 this month, at once


def test_a_petition_below_the_county_records_no_event(client, casework, dispute):
    client.force_login(casework["town_a"])
    response = move(client, dispute, "to_petition", on="2025-03-05", petition_level="town", channel="letter")
    assert response.status_code == 302
    content = page(client, dispute)
    assert (
        'id="case-petition"' in content and "不记录信访事件" in content and 'id="case-event"' not in content
    )


def test_a_forbidden_move_shows_the_chinese_message_and_changes_nothing(client, casework, dispute):
    dispute_resolve(dispute=dispute, on=DAY, method="people")
    client.force_login(casework["town_a"])
    entries = TimelineEntry.objects.count()
    response = move(client, dispute, "mediate", on="2025-03-05", note="想重新调解")
    assert response.status_code == 409
    content = response.content.decode()
    assert "处于“已化解”状态的纠纷不能开始调解" in content.split('id="refusal"')[1]
    dispute.refresh_from_db()
    assert dispute.status == "resolved" and TimelineEntry.objects.count() == entries


def test_a_step_dated_before_the_previous_one_is_refused_and_the_input_kept(client, casework, dispute):
    dispute_mediate(dispute=dispute, on=datetime.date(2025, 3, 10))
    client.force_login(casework["town_a"])
    response = move(client, dispute, "escalate", on="2025-03-05", to_level="village", note="村里接手")
    assert response.status_code == 400
    content = response.content.decode()
    assert "该环节日期不能早于上一环节（2025-03-10）" in content
    assert "村里接手" in content and '<details class="move" data-move="escalate" open>' in content
    dispute.refresh_from_db()
    assert (dispute.status, dispute.level) == ("mediating", "group")


def test_skipping_a_level_needs_a_reason(client, casework, dispute):
    client.force_login(casework["town_a"])
    response = move(client, dispute, "escalate", on="2025-03-05", to_level="town")
    assert response.status_code == 400 and "越级上交" in response.content.decode()
    assert (
        move(client, dispute, "escalate", on="2025-03-05", to_level="town", note="涉及两村").status_code
        == 302
    )
    dispute.refresh_from_db()
    assert dispute.level == "town" and dispute.case.organisation == casework["org_shabei"]


def test_a_stale_page_changes_nothing(client, casework, dispute):
    client.force_login(casework["town_a"])
    stale = dispute.version
    dispute_mediate(dispute=dispute, on=DAY)
    response = client.post(
        reverse("disputes:fail", kwargs={"ref": dispute.ref}), {"version": stale, "on": "2025-03-05"}
    )
    content = response.content.decode()
    assert response.status_code == 409 and "他人已修改了这条记录" in content
    dispute.refresh_from_db()
    assert dispute.status == "mediating"
    # the form now carries the version the page shows: sending it again is a choice made on what was seen
    assert f'name="version" value="{dispute.version}"' in content.split('id="move-fail"')[1]


def test_a_missing_date_is_a_chinese_message(client, casework, dispute):
    client.force_login(casework["town_a"])
    response = move(client, dispute, "mediate", on="")
    assert response.status_code == 400 and "必填" in response.content.decode()
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


def test_a_viewer_reads_the_case_but_sees_no_move_and_cannot_post_one(client, casework, dispute):
    client.force_login(casework["viewer"])
    content = page(client, dispute)
    assert "宅基地边界纠纷" in content and 'id="moves"' not in content
    assert move(client, dispute, "mediate", on="2025-03-05").status_code == 403
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


def test_another_towns_case_does_not_exist_for_an_outsider(client, casework, dispute):
    client.force_login(casework["town_b"])
    for name in ("case", "sheet", "mediate", "resolve"):
        url = reverse(f"disputes:{name}", kwargs={"ref": dispute.ref})
        assert client.get(url).status_code == 404
        assert client.post(url, {"on": "2025-03-05", "method": "people"}).status_code == 404
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


def test_registering_a_dispute_takes_a_level_and_an_organisation(client, casework):
    client.force_login(casework["town_a"])
    response = client.post(
        reverse("disputes:create"),
        {
            "subject_code": "V1",
            "reported_on": "2025-03-05",
            "summary": "两户排水纠纷",
            "status": "open",
            "level": "village",
            "organisation": casework["org_shabei"].pk,
        },
    )
    dispute = Dispute.objects.get(summary="两户排水纠纷")
    assert response.status_code == 302 and response.url == reverse("disputes:case", args=[dispute.ref])
    assert dispute.level == "village" and dispute.case.organisation == casework["org_shabei"]


def test_a_dispute_registered_without_a_level_starts_at_the_group(client, casework):
    client.force_login(casework["grid_a"])
    client.post(
        reverse("disputes:create"),
        {"subject_code": "V1", "reported_on": "2025-03-05", "summary": "邻里噪音", "status": "open"},
    )
    dispute = Dispute.objects.get(summary="邻里噪音")
    assert dispute.level == "group" and dispute.case.organisation == casework["org_jinniu"]


def test_an_organisation_of_another_town_cannot_be_chosen(client, casework):
    client.force_login(casework["town_a"])
    response = client.post(
        reverse("disputes:create"),
        {
            "subject_code": "V1",
            "reported_on": "2025-03-05",
            "summary": "越界指派",
            "status": "open",
            "organisation": casework["org_shangqiao"].pk,
        },
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Dispute.objects.filter(summary="越界指派").exists()


def test_the_subject_page_lists_its_open_cases_with_links(client, casework, dispute):
    closed = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="已了结")
    dispute_resolve(dispute=closed, on=DAY, method="people")
    client.force_login(casework["town_a"])
    response = client.get(reverse("subjects:detail", kwargs={"pk": casework["jinniu_village"].pk}))
    content = response.content.decode()
    table = content.split('id="open-cases"')[1].split("</table>")[0]
    assert reverse("disputes:case", args=[dispute.ref]) in table and "宅基地边界纠纷" in table
    assert closed.ref not in table


def test_a_bad_petitioner_id_number_is_a_chinese_message_and_no_petition(client, casework, dispute):
    client.force_login(casework["town_a"])
    response = move(
        client,
        dispute,
        "to_petition",
        on="2025-03-05",
        petition_level="county",
        channel="visit",
        petitioner_id_number="123",
    )
    assert response.status_code == 400
    field = response.content.decode().split('data-field="petitioner_id_number"')[1].split("</div>")[0]
    assert "errorlist" in field and 'value="123"' in field
    assert not Petition.objects.exists() and Dispute.objects.get(pk=dispute.pk).status == "open"


def test_a_case_cannot_be_resolved_above_the_level_it_has_reached(client, casework, dispute):
    client.force_login(casework["town_a"])
    response = move(client, dispute, "resolve", on="2025-03-05", level="town", method="people")
    assert response.status_code == 400
    field = response.content.decode().split('data-field="level"')[1].split("</div>")[0]
    assert "纠纷不能在高于其已到达层级的层级化解" in field
    assert Dispute.objects.get(pk=dispute.pk).status == "open"


def test_the_dispute_list_leads_to_each_case_page(client, casework, dispute):
    client.force_login(casework["viewer"])
    content = client.get(reverse("disputes:list")).content.decode()
    assert reverse("disputes:case", args=[dispute.ref]) in content


def test_the_case_page_reads_a_long_timeline_in_as_many_queries_as_a_short_one(client, casework, dispute):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanling.disputes.services import dispute_escalate

    client.force_login(casework["town_a"])
    long = dispute_create(subject=casework["jinniu_village"], reported_on=DAY, summary="长流程")
    long = dispute_mediate(dispute=long, on=DAY)
    long = dispute_escalate(dispute=long, on=DAY, to_level="village")
    long = dispute_mediate(dispute=long, on=DAY)
    long = dispute_escalate(dispute=long, on=DAY, to_level="town")
    counts = []
    for case in (dispute, long):
        page(client, case)  # warm the per-process caches (policy, dictionary)
        with CaptureQueriesContext(connection) as queries:
            page(client, case)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_tampered_version_is_a_message_not_an_error_page(client, casework, dispute):
    client.force_login(casework["town_a"])
    response = client.post(
        reverse("disputes:mediate", kwargs={"ref": dispute.ref}), {"version": "abc", "on": "2025-03-05"}
    )
    assert (
        response.status_code == 400 and "errorlist" in response.content.decode().split('id="move-mediate"')[1]
    )
    assert Dispute.objects.get(pk=dispute.pk).status == "open"
