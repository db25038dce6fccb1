"""Each move of a petition from its page, through the petition services: 受理告知, 延期 (with a reason), 答复,
复查 then 复核, 终结 (with the 回访's satisfaction), 上交/越级. A move the step does not allow, a date before the
last step or a page someone else moved on meanwhile changes nothing, says why in Chinese and keeps what
was typed. The seed's rule set (博爱县): "均在7日内予以回复，3个月内答复办理结果"."""

import datetime

import pytest
from django.urls import reverse

from sanling.petitions.models import Petition
from sanling.petitions.services import petition_accept
from sanling.work.models import DeadlineRuleSet

pytestmark = pytest.mark.django_db


def act(client, petition, action: str, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    data.setdefault(f"{action}-version", str(Petition.objects.get(pk=petition.pk).version))
    url = reverse("petitions:act", kwargs={"ref": petition.ref, "action": action})
    return client.post(url, data)


def fresh(petition) -> Petition:
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def town_a(client, petitions):
    client.force_login(petitions["town_a"])
    return client


def test_accepting_records_the_day_and_sets_the_result_due_date(town_a, petitions):
    petition = petitions["petition_a"]
    response = act(town_a, petition, "accept", on="2025-03-05", note="已电话告知信访人")
    assert response.status_code == 302
    petition = fresh(petition)
    assert petition.step == "handling" and petition.accepted_on == datetime.date(2025, 3, 5)
    assert petition.result_due_on == datetime.date(2025, 5, 4)  # 《信访工作条例》: 60 days from acceptance
    assert "已电话告知信访人" in town_a.get(response.url).content.decode()


def test_the_seed_rule_set_gives_a_result_due_three_calendar_months_after_receipt(town_a, petitions):
    DeadlineRuleSet.objects.get(code="seed-7d-3m").counties.add(petitions["county"])
    town_a.post(
        reverse("petitions:create"),
        {
            "subject_code": "V1",
            "received_on": "2025-03-05",
            "channel": "letter",
            "level": "town",
            "summary": "群众信访件",
            "people_count": "1",
        },
    )
    petition = Petition.objects.get(summary="群众信访件")
    assert petition.accept_due_on == datetime.date(2025, 3, 12)  # 7日内
    act(town_a, petition, "accept", on="2025-03-06")
    assert fresh(petition).result_due_on == datetime.date(2025, 6, 5)  # 3个月内, calendar months


def test_an_extension_needs_a_reason_and_is_granted_once(town_a, petitions):
    petition = petitions["petition_a"]
    petition_accept(petition=petition, on=datetime.date(2025, 3, 5))
    response = act(town_a, petition, "extend", on="2025-04-20", note="")
    assert response.status_code == 400 and fresh(petition).extended_on is None
    response = act(town_a, petition, "extend", on="2025-04-20", note="需要多部门会商")
    assert response.status_code == 302
    petition = fresh(petition)
    assert petition.extended_on == datetime.date(2025, 4, 20)
    assert petition.result_due_on == datetime.date(2025, 6, 3)  # 2025-05-04 + 30 days
    content = town_a.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert 'id="action-extend"' not in content  # once only
    response = act(town_a, petition, "extend", on="2025-04-21", note="再延一次")
    assert response.status_code == 409 and "已延期一次，不能再次延期" in response.content.decode()


def test_reply_review_re_review_and_conclude_with_satisfaction(town_a, petitions):
    petition = petitions["petition_a"]
    petition_accept(petition=petition, on=datetime.date(2025, 3, 5))
    assert act(town_a, petition, "reply", on="2025-04-01", note="书面答复").status_code == 302
    assert fresh(petition).step == "replied"
    assert act(town_a, petition, "review", on="2025-04-10").status_code == 302
    assert fresh(petition).step == "review"  # 复查
    assert act(town_a, petition, "review", on="2025-05-05").status_code == 302
    assert fresh(petition).step == "re_review"  # 复核
    assert act(town_a, petition, "conclude", on="2025-05-20", satisfaction="satisfied").status_code == 302
    petition = fresh(petition)
    assert petition.step == "concluded" and petition.satisfaction == "satisfied"
    assert petition.case.closed_on == datetime.date(2025, 5, 20)
    content = town_a.get(reverse("petitions:detail", kwargs={"ref": petition.ref})).content.decode()
    assert 'id="action-' not in content  # nothing left to do
    assert content.count('class="timeline-entry"') == 6


def test_escalating_to_the_county_as_a_bypass_records_the_petition_event(town_a, petitions):
    petition = petitions["petition_a"]
    response = act(town_a, petition, "escalate", on="2025-03-06", level="county", bypass="on")
    assert response.status_code == 302
    petition = fresh(petition)
    assert petition.level == "county" and petition.bypass
    assert petition.event.ref == petition.ref and petition.event.occurred_on == datetime.date(2025, 3, 6)


def test_a_move_the_step_does_not_allow_is_refused_in_chinese_and_changes_nothing(town_a, petitions):
    petition = petitions["petition_a"]
    before = fresh(petition).version
    response = act(town_a, petition, "conclude", on="2025-03-05", note="想直接终结", satisfaction="satisfied")
    content = response.content.decode()
    assert response.status_code == 409
    assert "不能" in content and "待受理" in content
    assert "想直接终结" in content  # what was typed is kept
    petition = fresh(petition)
    assert petition.step == "received" and petition.version == before and petition.case.closed_on is None


def test_a_step_dated_before_the_last_one_is_refused_and_keeps_the_input(town_a, petitions):
    petition = petitions["petition_a"]
    response = act(town_a, petition, "accept", on="2025-03-01", note="补录")
    content = response.content.decode()
    assert response.status_code == 400 and "不能早于上一环节（2025-03-03）" in content and "补录" in content
    assert fresh(petition).step == "received"


def test_a_page_someone_else_moved_on_meanwhile_is_a_conflict(town_a, petitions):
    petition = petitions["petition_a"]
    stale = fresh(petition).version
    petition_accept(petition=petition, on=datetime.date(2025, 3, 5))  # another handler, in between
    response = act(town_a, petition, "escalate", on="2025-03-06", level="county", version=str(stale))
    assert response.status_code == 409 and "他人已修改了这条记录" in response.content.decode()
    assert fresh(petition).level == "town"


def test_a_missing_date_is_a_chinese_message(town_a, petitions):
    response = act(town_a, petitions["petition_a"], "accept", on="")
    assert response.status_code == 400 and "该字段是必填项" in response.content.decode()


def test_an_unknown_action_is_404(town_a, petitions):
    url = reverse("petitions:act", kwargs={"ref": petitions["petition_a"].ref, "action": "delete"})
    assert town_a.post(url).status_code == 404
