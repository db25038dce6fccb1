"""Petitions, 信访代理, the 积案 ledger and organisations over the API (issue 17), through their services.

The seed's deadline rule set is "7日内回复、3个月内答复办理结果" (博爱县); the 《信访工作条例》 preset is the
default: 受理告知 15 days, 办理 60 days extendable once by 30, 复查/复核 30 days.
"""

import datetime

import pytest

from sanling.audit.models import AuditEntry
from sanling.events.models import Event
from sanling.petitions.models import Petition
from sanling.work.models import TimelineEntry, WorkItem

pytestmark = pytest.mark.django_db

ID_NUMBER = "11010519491231002X"  # GB 11643's own example: a valid check character
PETITIONER = {
    "petitioner_name": "王小明",
    "petitioner_id_number": ID_NUMBER,
    "petitioner_phone": "13800138000",
}


@pytest.fixture
def town_a(casework, api_as):
    from sanling.subjects.services import subject_update

    # 金牛社区 joined the campaign at the start of the year, so the seed's 2025-03-01 can be its date.
    subject_update(subject=casework["jinniu_village"], version=None, joined_on=datetime.date(2025, 1, 1))
    return api_as(casework["town_a"])


def register(api, **fields) -> dict:
    body = {
        "subject": "V1",
        "received_on": "2025-03-01",
        "channel": "visit",
        "visit_mode": "open_door",
        "summary": "拖欠工程款",
        "level": "town",
    } | PETITIONER
    response = api.post("/api/v1/petitions/", body | fields, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def step(api, ref: str, name: str, **body):
    return api.post(f"/api/v1/petitions/{ref}/{name}/", body, format="json")


def test_a_petition_is_registered_due_for_acceptance_with_the_petitioner_masked(town_a):
    petition = register(town_a)
    assert (petition["step"], petition["accept_due_on"], petition["due_on"]) == (
        "received",
        "2025-03-16",
        "2025-03-16",
    )
    assert (petition["petitioner_name"], petition["petitioner_id_number"], petition["petitioner_phone"]) == (
        "王**",
        "1101**********002X",
        "138****8000",
    )
    stored = Petition.objects.get(ref=petition["ref"])
    assert (stored.petitioner_name, stored.petitioner_id_number) == ("王小明", ID_NUMBER)


def test_a_petition_with_an_invalid_id_number_is_refused_in_chinese(town_a):
    response = town_a.post(
        "/api/v1/petitions/",
        {"subject": "V1", "received_on": "2025-03-01", "channel": "visit", "summary": "错号", "level": "town"}
        | {"petitioner_id_number": "410102198001011234"},
        format="json",
    )
    assert response.status_code == 400
    assert "身份证" in response.json()["errors"]["petitioner_id_number"][0]
    assert not Petition.objects.filter(summary="错号").exists()


def test_a_county_petition_is_taken_by_the_county_petition_bureau_and_records_its_event(town_a):
    petition = register(town_a, level="county")
    assert petition["organisation"] == "YC-XFJ"
    assert Event.objects.get(ref=petition["event"]).petition_level == "county"


def test_a_petition_runs_from_acceptance_through_review_to_its_conclusion(casework, town_a):
    ref = register(town_a)["ref"]
    accepted = step(town_a, ref, "accept", on="2025-03-05", note="当场告知")
    assert accepted.status_code == 200, accepted.json()
    assert (accepted.json()["step"], accepted.json()["result_due_on"]) == ("handling", "2025-05-04")
    replied = step(town_a, ref, "reply", on="2025-04-20")
    assert (replied.json()["step"], replied.json()["due_on"]) == ("replied", "2025-05-20")
    assert step(town_a, ref, "review", on="2025-04-25").json()["step"] == "review"
    assert step(town_a, ref, "review", on="2025-05-10").json()["step"] == "re_review"
    concluded = step(town_a, ref, "conclude", on="2025-05-30", satisfaction="basically")
    body = concluded.json()
    assert (body["step"], body["satisfaction"], body["closed_on"]) == ("concluded", "basically", "2025-05-30")
    actions = [entry["action"] for entry in town_a.get(f"/api/v1/petitions/{ref}/timeline/").json()]
    assert actions == ["register", "accept", "reply", "review", "review", "conclude"]


def test_the_seed_rule_set_gives_seven_days_and_three_calendar_months(casework, town_a):
    from sanling.work.models import DeadlineRuleSet

    DeadlineRuleSet.objects.get(code="seed-7d-3m").counties.add(casework["county"])
    ref = register(town_a)["ref"]  # received 2025-03-01
    assert town_a.get(f"/api/v1/petitions/{ref}/").json()["accept_due_on"] == "2025-03-08"
    accepted = step(town_a, ref, "accept", on="2025-03-06").json()
    assert accepted["result_due_on"] == "2025-06-01"  # calendar months from receipt, not 90 days


def test_an_extension_needs_a_reason_and_is_granted_once(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "accept", on="2025-03-05")
    missing = step(town_a, ref, "extend", on="2025-04-01")
    assert missing.status_code == 400 and "note" in missing.json()["errors"]
    extended = step(town_a, ref, "extend", on="2025-04-01", note="需会同住建部门核实")
    assert (extended.json()["result_due_on"], extended.json()["extended_on"]) == ("2025-06-03", "2025-04-01")
    again = step(town_a, ref, "extend", on="2025-04-02", note="再次延期")
    assert again.status_code == 409
    assert "已延期" in again.json()["message"] or "一次" in again.json()["message"]


def test_a_petition_cannot_be_concluded_before_it_is_accepted(town_a):
    ref = register(town_a)["ref"]
    refused = step(town_a, ref, "conclude", on="2025-03-05")
    assert refused.status_code == 409
    assert refused.json()["code"] == "transition_refused"
    assert Petition.objects.get(ref=ref).step == "received"


def test_a_step_before_the_previous_one_or_without_a_date_is_refused(town_a):
    ref = register(town_a)["ref"]
    assert "on" in step(town_a, ref, "accept").json()["errors"]
    early = step(town_a, ref, "accept", on="2025-02-27")
    assert early.status_code == 400 and "2025-03-01" in early.json()["errors"]["on"][0]


def test_a_bypassing_petition_escalated_to_the_county_records_its_event(town_a):
    ref = register(town_a)["ref"]
    escalated = step(town_a, ref, "escalate", on="2025-03-03", level="county", bypass=True)
    assert escalated.status_code == 200, escalated.json()
    body = escalated.json()
    assert (body["level"], body["bypass"], body["event"], body["organisation"]) == (
        "county",
        True,
        ref,
        "YC-XFJ",
    )
    event = town_a.get(f"/api/v1/events/{ref}/").json()
    assert (event["occurred_on"], event["petition_level"]) == ("2025-03-03", "county")
    assert step(town_a, ref, "escalate", on="2025-03-04", level="town").status_code == 409


def test_a_stale_if_match_on_a_step_answers_412_and_a_retry_with_its_key_moves_once(town_a):
    ref = register(town_a)["ref"]
    assert (
        town_a.post(
            f"/api/v1/petitions/{ref}/accept/", {"on": "2025-03-05"}, format="json", HTTP_IF_MATCH='"7"'
        ).status_code
        == 412
    )
    url = f"/api/v1/petitions/{ref}/accept/"
    first = town_a.post(url, {"on": "2025-03-05"}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    retry = town_a.post(url, {"on": "2025-03-05"}, format="json", HTTP_IDEMPOTENCY_KEY="acc-1")
    assert first.status_code == retry.status_code == 200 and retry.json() == first.json()
    assert TimelineEntry.objects.filter(item__ref=ref, action="accept").count() == 1


def test_an_edit_corrects_the_record_and_a_mask_sent_back_keeps_the_petitioner(town_a):
    petition = register(town_a)
    response = town_a.patch(
        f"/api/v1/petitions/{petition['ref']}/",
        {
            "summary": "拖欠工程款（已核实）",
            "petitioner_name": petition["petitioner_name"],
            "claim": "reasonable",
        },
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    assert response.status_code == 200, response.json()
    stored = Petition.objects.get(ref=petition["ref"])
    assert (stored.summary, stored.petitioner_name, stored.claim) == (
        "拖欠工程款（已核实）",
        "王小明",
        "reasonable",
    )
    stale = town_a.patch(
        f"/api/v1/petitions/{petition['ref']}/", {"summary": "旧版本"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert stale.status_code == 412


def test_a_petition_only_registered_can_be_deleted_with_its_event(town_a):
    ref = register(town_a, level="county")["ref"]
    assert town_a.delete(f"/api/v1/petitions/{ref}/", HTTP_IF_MATCH='"1"').status_code == 204
    assert not Petition.objects.filter(ref=ref).exists()
    assert not WorkItem.objects.filter(ref=ref).exists()
    assert not Event.objects.filter(ref=ref).exists()


def test_a_petition_that_has_moved_cannot_be_deleted(town_a):
    ref = register(town_a)["ref"]
    step(town_a, ref, "accept", on="2025-03-05")
    refused = town_a.delete(f"/api/v1/petitions/{ref}/", HTTP_IF_MATCH='"2"')
    assert refused.status_code == 409
    assert "登记" in refused.json()["message"]
    assert Petition.objects.filter(ref=ref).exists()


def test_the_list_filters_by_step_level_dates_overdue_and_backlog(casework, town_a):
    old = register(town_a, received_on="2025-01-02")["ref"]
    new = register(town_a, received_on="2025-03-01", level="county")["ref"]
    step(town_a, new, "accept", on="2025-03-02")

    def refs(**query) -> set[str]:
        return {row["ref"] for row in town_a.get("/api/v1/petitions/", query).json()["results"]}

    assert refs(step="received") == {old}
    assert refs(level="county") == {new}
    assert refs(received_from="2025-02-01", received_to="2025-03-31") == {new}
    assert refs(overdue="yes") == {old, new}  # due 2025-01-17 and 2025-05-01, both long past
    from sanling.petitions.services import backlog_flag

    backlog_flag(
        item=WorkItem.objects.get(ref=old),
        on=datetime.date(2025, 3, 1),
        responsible_organisation=casework["org_shabei"],
        responsible_person="李四",
        leader="张书记",
        deadline=datetime.date(2025, 6, 30),
    )
    assert refs(backlog="yes") == {old}
    assert refs(backlog="no") == {new}


def test_a_viewer_sees_the_petitioner_masked_and_cannot_unmask(casework, town_a, api_as):
    ref = register(town_a)["ref"]
    viewer = api_as(casework["viewer"])
    assert viewer.get(f"/api/v1/petitions/{ref}/").json()["petitioner_phone"] == "138****8000"
    listed = viewer.get("/api/v1/petitions/").json()["results"][0]
    assert listed["petitioner_id_number"] == "1101**********002X"
    assert (
        viewer.post(f"/api/v1/petitions/{ref}/unmask/", {"reason": "看看"}, format="json").status_code == 403
    )


def test_an_operator_unmasks_the_petitioner_with_a_reason_and_the_read_is_audited(town_a):
    ref = register(town_a)["ref"]
    assert town_a.post(f"/api/v1/petitions/{ref}/unmask/", {}, format="json").status_code == 400
    clear = town_a.post(f"/api/v1/petitions/{ref}/unmask/", {"reason": "电话告知受理结果"}, format="json")
    assert clear.status_code == 200
    assert clear.json() == {"ref": ref} | PETITIONER
    assert "no-store" in clear["Cache-Control"]
    entry = AuditEntry.objects.get(verb="personal.unmasked", object_key=ref)
    assert entry.note == "电话告知受理结果"
    assert "王小明" not in str(entry.changes) and ID_NUMBER not in str(entry.changes)


# 信访代理 (中站区: 申请 → 确定代理人 → 登记备案 → 代理事项办理 → 结果反馈 → 事项终结)


def test_an_agency_case_advances_step_by_step_and_needs_its_agent_named(town_a):
    created = town_a.post(
        "/api/v1/agency-cases/",
        {"subject": "V1", "applied_on": "2025-03-01", "summary": "代理讨薪", "applicant_name": "赵六"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    ref = created.json()["ref"]
    assert (created.json()["step"], created.json()["applicant_name"]) == ("applied", "赵*")
    url = f"/api/v1/agency-cases/{ref}/advance/"
    unnamed = town_a.post(url, {"on": "2025-03-02"}, format="json")
    assert unnamed.status_code == 400 and "agent_name" in unnamed.json()["errors"]
    steps = [town_a.post(url, {"on": "2025-03-02", "agent_name": "刘干部"}, format="json").json()["step"]]
    for day in ("2025-03-03", "2025-03-10", "2025-03-20"):
        steps.append(town_a.post(url, {"on": day}, format="json").json()["step"])
    last = town_a.post(url, {"on": "2025-03-25", "satisfaction": "satisfied"}, format="json").json()
    assert steps == ["agent_assigned", "filed", "handling", "feedback"]
    assert (last["step"], last["satisfaction"], last["closed_on"]) == ("concluded", "satisfied", "2025-03-25")
    assert town_a.post(url, {"on": "2025-03-26"}, format="json").status_code == 409


def test_an_agency_case_for_a_higher_authority_marks_its_petition_event(town_a):
    petition = register(town_a, level="county")
    created = town_a.post(
        "/api/v1/agency-cases/",
        {"subject": "V1", "applied_on": "2025-03-02", "summary": "代理", "petition": petition["ref"]},
        format="json",
    ).json()
    url = f"/api/v1/agency-cases/{created['ref']}/advance/"
    town_a.post(
        url, {"on": "2025-03-03", "agent_name": "刘干部", "higher_authority_required": True}, format="json"
    )
    assert Event.objects.get(ref=petition["event"]).higher_authority_required is True


# 积案 ("责任单位、责任人和化解时限", 中站区)


def test_a_case_is_put_on_the_backlog_ledger_and_its_checklist_ticked(casework, town_a):
    ref = register(town_a)["ref"]
    flagged = town_a.post(
        "/api/v1/backlog/",
        {
            "item": ref,
            "flagged_on": "2025-03-05",
            "responsible_organisation": "SB-MTZX",
            "responsible_person": "李四",
            "leader": "张书记",
            "deadline": "2025-06-30",
        },
        format="json",
    )
    assert flagged.status_code == 201, flagged.json()
    entry = flagged.json()
    assert entry["kind"] == "petition" and set(entry["checklist"].values()) == {None}
    code = next(iter(entry["checklist"]))
    ticked = town_a.post(
        f"/api/v1/backlog/{entry['id']}/check/", {"code": code, "done_on": "2025-03-06"}, format="json"
    )
    assert ticked.status_code == 200, ticked.json()
    assert ticked.json()["checklist"][code] == "2025-03-06"
    unknown = town_a.post(
        f"/api/v1/backlog/{entry['id']}/check/", {"code": "nonsense", "done_on": None}, format="json"
    )
    assert unknown.status_code == 400
    assert town_a.get("/api/v1/petitions/", {"backlog": "yes"}).json()["count"] == 1
    again = town_a.post("/api/v1/backlog/", flagged.json() | {"item": ref}, format="json")
    assert again.status_code == 409


# Organisations


def test_a_town_sees_its_own_organisations_and_the_county_bodies_above_it(casework, town_a):
    codes = {row["code"] for row in town_a.get("/api/v1/organisations/").json()["results"]}
    assert codes == {"JN-TWH", "SB-MTZX", "YC-MTZX", "YC-XFJ", "JY-OFFICE"}


def test_only_a_county_administrator_creates_and_changes_organisations(casework, town_a, api_as):
    body = {"code": "SB-SFS", "name": "沙北司法所", "kind": "justice_office", "region": "411103001000"}
    assert town_a.post("/api/v1/organisations/", body, format="json").status_code == 403
    admin = api_as(casework["admin_user"])
    created = admin.post("/api/v1/organisations/", body | {"members": ["town_a"]}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["members"] == ["town_a"]
    renamed = admin.patch(
        "/api/v1/organisations/SB-SFS/", {"name": "沙北街道司法所"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert renamed.json()["name"] == "沙北街道司法所"
    assert (
        town_a.patch(
            "/api/v1/organisations/SB-SFS/", {"name": "改名"}, format="json", HTTP_IF_MATCH='"2"'
        ).status_code
        == 403
    )


def test_a_county_administrator_cannot_place_an_organisation_above_the_county(casework, api_as):
    body = {"code": "LH-XFJ", "name": "漯河市信访局", "kind": "petition_office", "region": "411100000000"}
    response = api_as(casework["admin_user"]).post("/api/v1/organisations/", body, format="json")
    assert response.status_code == 400 and "region" in response.json()["errors"]


@pytest.mark.parametrize("query", ["overdue=maybe", "backlog=true"])
def test_a_yes_no_filter_that_is_neither_is_refused_in_chinese(town_a, query):
    response = town_a.get(f"/api/v1/petitions/?{query}")
    assert response.status_code == 400
    assert any("\u4e00" <= char <= "\u9fff" for char in response.json()["message"])


def test_an_id_number_of_an_unknown_county_is_refused_in_chinese_not_a_500(town_a):
    """411105 is a 漯河 prefix python-stdnum knows only as a city: its lookup raised KeyError, a 500."""
    response = town_a.post(
        "/api/v1/petitions/",
        {
            "subject": "V1",
            "received_on": "2025-03-01",
            "channel": "visit",
            "summary": "未知县",
            "level": "town",
        }
        | {"petitioner_id_number": "411105199001011234"},
        format="json",
    )
    assert response.status_code == 400
    assert "身份证" in response.json()["errors"]["petitioner_id_number"][0]
    assert not Petition.objects.filter(summary="未知县").exists()
