"""The audit trail records every change with who, when, where and what, and tampering is detected."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from sanling.audit.models import AppendOnly, AuditEntry, AuditHead
from sanling.audit.selectors import audit_verify
from sanling.events.services import event_create, event_update

from .tampering import owner_cursor

pytestmark = pytest.mark.django_db


def test_a_change_made_on_the_web_names_the_user_their_address_and_the_fields(personas, client):
    client.force_login(personas["town_a"])
    event = personas["event_a"]
    client.post(
        f"/events/{event.pk}/edit/",
        {
            "subject_code": "V1",
            "type": "criminal_case",
            "occurred_on": "2025-03-03",
            "title": "金牛入室盗窃案",
            "status": "reported",
            "deaths": 0,
            "injuries": 0,
            "version": 1,
        },
        REMOTE_ADDR="10.1.2.3",
    )
    entry = AuditEntry.objects.filter(object_key=event.ref, action="update").get()
    assert (entry.actor_name, entry.source, entry.ip) == ("town_a", "web", "10.1.2.3")
    assert entry.changes == {"before": {"title": "金牛盗窃案"}, "after": {"title": "金牛入室盗窃案"}}
    assert entry.region_path == personas["jinniu"].path


def test_creates_through_the_api_are_recorded_as_the_tokens_user(personas, api_as):
    api_as(personas["grid_a"]).post(
        "/api/v1/events/",
        {
            "ref": "API-1",
            "subject": "V1",
            "type": "security_case",
            "occurred_on": "2025-03-10",
            "title": "打架",
        },
        format="json",
    )
    entry = AuditEntry.objects.get(object_key="API-1")
    assert (entry.actor_name, entry.source, entry.action) == ("grid_a", "api", "create")
    assert entry.changes["after"]["subject"] == "V1"


def test_an_import_records_one_entry_per_row_it_changed(db, tmp_path):
    from sanling.conftest import write_csv
    from sanling.exchange.importer import bundle_import

    write_csv(
        tmp_path,
        "regions.csv",
        [["code", "name", "level", "parent_code"], ["410000000000", "河南省", "province", ""]],
    )
    bundle_import(tmp_path)
    bundle_import(tmp_path)  # unchanged: no new entry
    write_csv(
        tmp_path,
        "regions.csv",
        [["code", "name", "level", "parent_code"], ["410000000000", "河南", "province", ""]],
    )
    bundle_import(tmp_path)
    entries = list(AuditEntry.objects.order_by("seq").values_list("action", "object_key", "note"))
    assert [entry[:2] for entry in entries] == [("create", "410000000000"), ("update", "410000000000")]
    assert "regions.csv" not in entries[0][2] and tmp_path.name in entries[0][2]


def test_an_untouched_chain_verifies(personas):
    checked, problems = audit_verify()
    assert checked == AuditEntry.objects.count() > 10
    assert problems == []


def _tamper(sql: str, *params) -> None:
    with owner_cursor() as cursor:
        cursor.execute(sql, params)


def test_editing_one_entry_in_the_database_is_reported(personas):
    entry = AuditEntry.objects.get(object_key=personas["event_a"].ref)
    _tamper("UPDATE audit_auditentry SET actor_name = %s WHERE id = %s", "someone_else", entry.pk)
    _checked, problems = audit_verify()
    assert [(problem.chain, problem.seq) for problem in problems] == [(entry.chain, entry.seq)]


def test_deleting_an_entry_in_the_middle_is_reported(personas):
    entry = AuditEntry.objects.get(object_key=personas["event_a"].ref)
    _tamper("DELETE FROM audit_auditentry WHERE id = %s", entry.pk)
    _checked, problems = audit_verify()
    assert problems and (problems[0].chain, problems[0].seq) == (entry.chain, entry.seq)


@pytest.mark.parametrize("chain", ["global", "411103000000"])
def test_cutting_entries_off_the_end_of_any_chain_is_reported(personas, chain):
    last = AuditHead.objects.get(chain=chain).seq
    _tamper("DELETE FROM audit_auditentry WHERE chain = %s AND seq >= %s", chain, last - 1)
    _checked, problems = audit_verify()
    assert [problem.chain for problem in problems] == [chain]


def test_sanling_audit_verify_exits_non_zero_on_tampering(personas, capsys):
    call_command("audit", "verify")
    assert "通过" in capsys.readouterr().out
    _tamper(
        "UPDATE audit_auditentry SET changes = %s WHERE chain = 'global' AND seq = 1",
        '{"before": {}, "after": {}}',
    )
    with pytest.raises(CommandError):
        call_command("audit", "verify")


def test_entries_cannot_be_changed_or_deleted_through_the_application(personas):
    entry = AuditEntry.objects.first()
    entry.note = "changed"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()


def test_a_save_without_a_difference_writes_no_entry(personas):
    before = AuditEntry.objects.count()
    event = personas["event_a"]
    event_update(event=event, version=None, title=event.title)
    assert AuditEntry.objects.count() == before


def test_only_auditors_read_the_trail_and_only_their_subtree(personas, api_as):
    event_create(
        subject=personas["dongwan_village"],
        type="criminal_case",
        occurred_on=datetime.date(2025, 4, 1),
        title="东湾案",
    )
    assert api_as(personas["admin_user"]).get("/api/v1/audit/").json()["count"] == 0
    county = api_as(personas["auditor"]).get("/api/v1/audit/").json()
    everything_in_the_county = AuditEntry.objects.filter(
        Q(region_path__startswith=personas["county"].path) | Q(region_path="")
    )
    assert county["count"] == everything_in_the_county.count() < AuditEntry.objects.count()  # not 河南省
    town_b = api_as(personas["auditor_b"]).get("/api/v1/audit/", {"page_size": 500}).json()["results"]
    keys = {entry["object_key"] for entry in town_b}
    assert "V2" in keys and "V1" not in keys and personas["event_a"].ref not in keys


def test_the_audit_page_is_closed_to_everyone_but_auditors(personas, client):
    client.force_login(personas["admin_user"])
    assert client.get("/audit/").status_code == 403
    client.force_login(personas["auditor"])
    assert client.get("/audit/").status_code == 200


def test_an_administrator_exporting_phones_in_clear_leaves_an_entry_with_the_reason(personas, client):
    client.force_login(personas["admin_user"])
    client.get("/subjects/export.xlsx", {"reason": "年度联络名册"})
    entry = AuditEntry.objects.get(action="read_contact")
    assert entry.actor_name == "admin_user" and entry.note.endswith("年度联络名册")


def test_the_hash_of_an_entry_never_changes_its_formula():
    # Entries written by earlier releases must still verify: this is the hash they were written with.
    from sanling.audit.services import canonical_json, entry_hash

    changes = {
        "before": {"occurred_on": datetime.date(2025, 3, 1), "title": "旧"},
        "after": {"occurred_on": datetime.date(2025, 3, 2), "title": "新"},
    }
    header = [
        "张三",
        "web",
        "10.0.0.1",
        "update",
        "event",
        "E1",
        "410000000000.411100000000",
        '引号"与\\反斜杠\t',
    ]
    digest = entry_hash(
        prev_hash="0" * 64,
        seq=7,
        at=datetime.datetime(2025, 3, 5, 8, 30, tzinfo=datetime.UTC),
        actor_id=3,
        header=header,
        changes_text=canonical_json(changes),
    )
    assert digest == "adf72d2243dcf439c4d8d7fe0e59a9f760f96a1cd03cb856fb251e39a32a7e1d"
