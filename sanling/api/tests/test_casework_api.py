"""Disputes as cases over the API (issue 17): each step of the 三级过滤网 through its service, the refusals
(409 with the Chinese message), the dates (400), versions (412/409) and retries (Idempotency-Key), the
timeline, the masked parties, and the engine link: a dispute that reaches the county as a petition records an
ordinary event of /events/, and marking it 须由上级解决 there gives the village its 零上访 back."""

import pytest

from sanling.audit.models import AuditEntry
from sanling.disputes.models import Dispute
from sanling.work.models import TimelineEntry

pytestmark = pytest.mark.django_db

DAY = "2025-03-05"


@pytest.fixture
def town_a(casework, api_as):
    return api_as(casework["town_a"])


def register(api, **fields) -> dict:
    body = {"subject": "V1", "reported_on": DAY, "summary": "金牛宅基地纠纷", "category": ""} | fields
    response = api.post("/api/v1/disputes/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def step(api, ref: str, name: str, **body):
    return api.post(f"/api/v1/disputes/{ref}/{name}/", body, format="json")


def test_a_dispute_is_registered_at_the_group_level_with_the_places_mediator(town_a):
    dispute = register(town_a)
    assert (dispute["level"], dispute["status"], dispute["step"]) == ("group", "open", "open")
    assert dispute["organisation"] == "JN-TWH"  # 金牛社区人民调解委员会 works the group and village levels
    assert dispute["due_on"] == "2025-04-04"  # the regulation preset's 30 days of mediation


def test_a_dispute_is_registered_at_a_level_with_an_organisation_named_by_its_code(town_a):
    dispute = register(town_a, level="town", organisation="SB-MTZX")
    assert (dispute["level"], dispute["organisation"]) == ("town", "SB-MTZX")


def test_an_organisation_of_another_town_cannot_take_the_case(town_a):
    response = town_a.post(
        "/api/v1/disputes/",
        {"subject": "V1", "reported_on": DAY, "summary": "越权", "organisation": "SQ-MTZX"},
        format="json",
    )
    assert response.status_code == 400
    assert "organisation" in response.json()["errors"]
    assert not Dispute.objects.filter(summary="越权").exists()


def test_the_village_mediates_then_escalates_to_the_town_which_resolves_it(town_a):
    ref = register(town_a, level="village")["ref"]
    mediating = step(town_a, ref, "mediate", on="2025-03-06", diagnosis="clinic", note="村调委会受理")
    assert mediating.status_code == 200, mediating.json()
    assert (mediating.json()["status"], mediating.json()["diagnosis"]) == ("mediating", "clinic")
    escalated = step(town_a, ref, "escalate", on="2025-03-10", to_level="town", note="村级调解未果")
    assert escalated.json()["level"] == "town" and escalated.json()["organisation"] == "SB-MTZX"
    assert escalated.json()["status"] == "escalated" and escalated.json()["closed_on"] is None
    resolved = step(
        town_a, ref, "resolve", on="2025-03-20", method="people", agreement="双方同意按原界址划分"
    )
    body = resolved.json()
    assert (body["status"], body["resolved_level"], body["method"]) == ("resolved", "town", "people")
    assert body["agreement"] == "双方同意按原界址划分" and body["closed_on"] == "2025-03-20"
    assert resolved["ETag"] == f'"{body["version"]}"'


def test_escalating_past_a_level_needs_a_reason(town_a):
    ref = register(town_a)["ref"]
    skipped = step(town_a, ref, "escalate", on="2025-03-06", to_level="town")
    assert skipped.status_code == 400
    assert "越级" in skipped.json()["errors"]["note"][0]
    assert (
        step(town_a, ref, "escalate", on="2025-03-06", to_level="town", note="群体性，直接上交").status_code
        == 200
    )


def test_escalating_downwards_is_a_conflict_in_chinese(town_a):
    ref = register(town_a, level="town")["ref"]
    refused = step(town_a, ref, "escalate", on="2025-03-06", to_level="village")
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_refused"
    assert "更高" in refused.json()["message"] or "上级" in refused.json()["message"]


def test_a_resolved_dispute_cannot_be_resolved_again_or_fail(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "resolve", on="2025-03-06", method="people")
    for name, body in (("resolve", {"method": "people"}), ("fail", {}), ("mediate", {})):
        refused = step(town_a, ref, name, on="2025-03-07", **body)
        assert refused.status_code == 409, name
        assert refused.json()["code"] == "transition_refused"
        assert any("\u4e00" <= char <= "\u9fff" for char in refused.json()["message"])
    assert Dispute.objects.get(ref=ref).version == 2


def test_resolving_needs_the_method(town_a):
    ref = register(town_a)["ref"]
    response = step(town_a, ref, "resolve", on="2025-03-06")
    assert response.status_code == 400
    assert "method" in response.json()["errors"]


def test_a_step_without_a_date_is_refused(town_a):
    ref = register(town_a)["ref"]
    response = step(town_a, ref, "mediate")
    assert response.status_code == 400
    assert "on" in response.json()["errors"]


def test_a_step_dated_before_the_previous_one_is_refused_and_changes_nothing(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "mediate", on="2025-03-10")
    response = step(town_a, ref, "fail", on="2025-03-08")
    assert response.status_code == 400
    assert "2025-03-10" in response.json()["errors"]["on"][0]
    assert Dispute.objects.get(ref=ref).status == "mediating"


def test_failed_mediation_closes_the_case_and_may_still_go_to_court(town_a):
    ref = register(town_a)["ref"]
    failed = step(town_a, ref, "fail", on="2025-03-06", note="一方拒绝调解")
    assert (failed.json()["status"], failed.json()["closed_on"]) == ("failed", "2025-03-06")
    litigated = step(town_a, ref, "to-litigation", on="2025-03-07")
    assert litigated.json()["status"] == "litigated"


def test_a_follow_up_visit_records_the_satisfaction_of_a_resolved_dispute(town_a):
    ref = register(town_a)["ref"]
    assert step(town_a, ref, "follow-up", on="2025-03-06", satisfaction="satisfied").status_code == 409
    step(town_a, ref, "resolve", on="2025-03-06", method="people")
    visited = step(town_a, ref, "follow-up", on="2025-03-16", satisfaction="satisfied", note="回访")
    assert (visited.json()["follow_up_on"], visited.json()["satisfaction"]) == ("2025-03-16", "satisfied")


def test_a_stale_if_match_answers_412_and_moves_nothing(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "mediate", on="2025-03-06")
    stale = town_a.post(
        f"/api/v1/disputes/{ref}/fail/", {"on": "2025-03-07"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412
    assert stale.json()["current_version"] == 2
    assert Dispute.objects.get(ref=ref).status == "mediating"
    current = town_a.post(
        f"/api/v1/disputes/{ref}/fail/", {"on": "2025-03-07"}, format="json", HTTP_IF_MATCH='"2"'
    )
    assert current.status_code == 200


def test_a_stale_version_field_answers_409_version_conflict(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "mediate", on="2025-03-06")
    stale = step(town_a, ref, "fail", on="2025-03-07", version=1)
    assert stale.status_code == 409
    assert stale.json()["code"] == "version_conflict"


def test_a_retried_step_with_the_same_key_answers_the_same_and_moves_once(town_a):
    ref = register(town_a)["ref"]
    body = {"on": "2025-03-06", "to_level": "village", "note": "上交村调委会"}
    url = f"/api/v1/disputes/{ref}/escalate/"
    first = town_a.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="esc-1")
    retry = town_a.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="esc-1")
    assert first.status_code == retry.status_code == 200
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert TimelineEntry.objects.filter(item__ref=ref, action="escalate").count() == 1


def test_the_timeline_tells_each_step_with_who_and_which_organisation(town_a):
    ref = register(town_a, level="village")["ref"]
    step(town_a, ref, "mediate", on="2025-03-06")
    step(town_a, ref, "escalate", on="2025-03-08", to_level="town", note="村级调解未果")
    timeline = town_a.get(f"/api/v1/disputes/{ref}/timeline/").json()
    assert [entry["action"] for entry in timeline] == ["register", "mediate", "escalate"]
    last = timeline[-1]
    assert (last["from_step"], last["to_step"], last["note"]) == ("mediating", "escalated", "村级调解未果")
    assert (last["actor"], last["organisation"]) == ("town_a", "SB-MTZX")
    assert last["to_label"] == "已上交" and last["action_label"] == "已上交"


def test_the_parties_are_masked_and_unmasked_only_with_a_reason_which_is_audited(casework, town_a, api_as):
    ref = register(town_a, parties="张三与李四")["ref"]
    assert town_a.get(f"/api/v1/disputes/{ref}/").json()["parties"] != "张三与李四"
    assert api_as(casework["viewer"]).get(f"/api/v1/disputes/{ref}/").json()["parties"] != "张三与李四"
    assert town_a.post(f"/api/v1/disputes/{ref}/unmask/", {}, format="json").status_code == 400
    clear = town_a.post(f"/api/v1/disputes/{ref}/unmask/", {"reason": "调解需联系当事人"}, format="json")
    assert clear.json() == {"ref": ref, "parties": "张三与李四"}
    entry = AuditEntry.objects.filter(verb="personal.unmasked", object_key=ref).get()
    assert entry.note == "调解需联系当事人"
    grid = api_as(casework["grid_a"]).post(
        f"/api/v1/disputes/{ref}/unmask/", {"reason": "想看"}, format="json"
    )
    assert grid.status_code == 403


def test_a_masked_parties_value_sent_back_keeps_the_stored_one(town_a):
    dispute = register(town_a, parties="张三与李四")
    response = town_a.patch(
        f"/api/v1/disputes/{dispute['ref']}/",
        {"parties": dispute["parties"], "summary": "改了简述"},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200
    assert Dispute.objects.get(ref=dispute["ref"]).parties == "张三与李四"


def test_a_dispute_turned_into_a_county_petition_breaks_zero_petitions_until_marked_higher_authority(
    casework, api_as
):
    api = api_as(casework["town_b"])
    status_url = "/api/v1/subjects/V2/status/?period=2025-03"
    assert api.get(status_url).json()["compliant"] is True
    ref = register(api, subject="V2", summary="东湾征地补偿纠纷")["ref"]
    turned = step(api, ref, "to-petition", on="2025-03-07", petition_level="county", petitioner_name="王五")
    assert turned.status_code == 200, turned.json()
    body = turned.json()
    assert (body["status"], body["step"], body["petition"], body["petition_event"]) == (
        "petitioned",
        "received",
        ref,
        ref,
    )  # 一案一码: the dispute, the petition and the event share the ref
    event = api.get(f"/api/v1/events/{ref}/")
    assert event.status_code == 200
    assert (event.json()["type"], event.json()["petition_level"]) == ("petition", "county")
    assert api.get(status_url).json()["petition"] == {"holds": False, "events": [ref]}
    marked = api.patch(
        f"/api/v1/events/{ref}/",
        {"higher_authority_required": True},
        format="json",
        HTTP_IF_MATCH=event["ETag"],
    )
    assert marked.status_code == 200
    assert api.get(status_url).json()["compliant"] is True


def test_a_petition_step_after_the_dispute_became_one_is_refused(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "to-petition", on="2025-03-06", petition_level="town")
    refused = step(town_a, ref, "resolve", on="2025-03-07", method="people")
    assert refused.status_code == 409
    petition = town_a.get(f"/api/v1/petitions/{ref}/").json()
    assert (petition["from_dispute"], petition["step"], petition["event"]) == (ref, "received", None)
