from django.db import connection
from django.utils import timezone

from sanling.accounts.scope import scope_for
from sanling.accounts.services import account_update
from sanling.audit.models import AuditEntry
from sanling.audit.selectors import audit_verify
from sanling.audit.services import canonical_json, snapshot
from sanling.subjects.services import subject_update

from .conftest import NAME, PHONE


def raw_trail() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT changes, note FROM audit_auditentry")
        return " ".join(f"{changes} {note}" for changes, note in cursor.fetchall())


def test_the_audit_trail_keeps_no_personal_value_in_clear(contact):
    subject_update(subject=contact, version=None, contact_name="张三丰", contact_phone="13900001111")
    trail = raw_trail()
    for clear in (NAME, PHONE, "张三丰", "13900001111"):
        assert clear not in trail


def test_a_snapshot_holds_personal_fields_masked(contact):
    values = snapshot(contact)
    assert values["contact_phone"]["masked"] == "138****5678" and PHONE not in str(values)


def test_a_changed_phone_with_the_same_mask_still_shows_as_a_change(contact):
    subject_update(subject=contact, version=None, contact_phone="13800005678")
    entry = AuditEntry.objects.filter(object_key="U1", action="update").latest("id")
    before, after = entry.changes["before"]["contact_phone"], entry.changes["after"]["contact_phone"]
    assert before["masked"] == after["masked"] == "138****5678"
    assert before["digest"] != after["digest"]


def test_the_chain_still_verifies_with_masked_personal_fields(contact):
    subject_update(subject=contact, version=None, contact_phone="13900001111")
    _count, problems = audit_verify()
    assert problems == []


def test_the_trail_page_shows_personal_fields_masked(contact, client, personas):
    client.force_login(personas["auditor"])
    content = client.get("/audit/").content.decode()
    assert "138****5678" in content and PHONE not in content


def _legacy_entry(contact) -> None:
    """An entry as releases before the encryption wrote it: the phone in clear (inserted, as the trail is
    append-only; it is not part of any verified chain)."""
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                chain="legacy",
                seq=1,
                at=timezone.now(),
                actor_name="old",
                source="web",
                action="update",
                object_type="subject",
                object_key="U1",
                region_path=contact.region.path,
                changes={"before": {}, "after": {"contact_phone": PHONE}},
                prev_hash="0" * 64,
                hash="0" * 64,
            )
        ]
    )


def test_an_entry_written_in_clear_before_the_masking_is_shown_masked_on_the_page(contact, client, personas):
    _legacy_entry(contact)
    client.force_login(personas["auditor"])
    content = client.get("/audit/").content.decode()
    assert "138****5678" in content and PHONE not in content


def test_an_entry_written_in_clear_before_the_masking_is_answered_masked_by_the_api(
    contact, api_as, personas
):
    _legacy_entry(contact)
    answer = api_as(personas["auditor"]).get("/api/v1/audit/", {"object_key": "U1"}).content.decode()
    assert "138****5678" in answer and PHONE not in answer


def test_an_account_phone_is_audited_masked_when_the_system_administrator_sets_it(duty_holders):
    account_update(
        actor_scope=scope_for(duty_holders["sysadmin"]),
        user=duty_holders["town_a"],
        username="town_a",
        full_name="王五",
        phone=PHONE,
    )
    entry = AuditEntry.objects.filter(object_type="profile").latest("id")
    assert PHONE not in raw_trail() and PHONE not in canonical_json(entry.changes)
    assert entry.changes["after"]["phone"]["masked"] == "138****5678"
