"""The chain is keyed: someone who can rewrite the database but does not hold the audit key cannot rewrite
the trail so that ``audit verify`` passes. Unkeyed entries written before stay valid as they are."""

import datetime

import pytest
from django.core.checks import run_checks
from django.db import connection

from sanling.audit.models import AuditEntry, AuditHead
from sanling.audit.selectors import audit_verify
from sanling.audit.services import GENESIS, HEADER_FIELDS, Change, audit_changes, canonical_json, entry_hash

from .tampering import owner_cursor

pytestmark = pytest.mark.django_db


def _rewrite_from(entry: AuditEntry, *, scheme: str = "", key: bytes | None = None, **changes) -> None:
    """What an attacker with the database does: change ``entry``, recompute every following hash of its
    chain (unkeyed, or under a key of their own) and move the head to the new end."""
    prev_hash = entry.prev_hash
    following = AuditEntry.objects.filter(chain=entry.chain, seq__gte=entry.seq).order_by("seq")
    with owner_cursor() as cursor:
        for row in following:
            for name, value in (changes if row.pk == entry.pk else {}).items():
                setattr(row, name, value)
            digest = entry_hash(
                prev_hash=prev_hash,
                seq=row.seq,
                at=row.at,
                actor_id=row.actor_id,
                header=[getattr(row, name) for name in HEADER_FIELDS],
                changes_text=canonical_json(row.changes),
                chain=row.chain,
                verb=row.verb,
                scheme=scheme,
                key=key,
            )
            cursor.execute(
                "UPDATE audit_auditentry SET actor_name = %s, scheme = %s, prev_hash = %s, hash = %s WHERE id = %s",
                [row.actor_name, scheme, prev_hash, digest, row.pk],
            )
            prev_hash = digest
        cursor.execute("UPDATE audit_audithead SET hash = %s WHERE chain = %s", [prev_hash, entry.chain])


def test_an_entry_forged_with_every_following_hash_recomputed_is_detected(personas):
    entry = AuditEntry.objects.get(object_key=personas["event_a"].ref)
    _rewrite_from(entry, actor_name="someone_else")
    _checked, problems = audit_verify()
    assert problems and {problem.chain for problem in problems} == {entry.chain}


def test_an_entry_forged_under_a_key_of_the_attackers_own_is_detected(personas):
    entry = AuditEntry.objects.get(object_key=personas["event_a"].ref)
    _rewrite_from(entry, scheme=AuditEntry.objects.get(pk=entry.pk).scheme, key=b"guessed", actor_name="x")
    _checked, problems = audit_verify()
    assert [problem.seq for problem in problems][:1] == [entry.seq]


def test_new_entries_are_signed_with_the_audit_key(personas):
    assert set(AuditEntry.objects.values_list("scheme", flat=True)) == {AuditEntry.objects.first().scheme}
    assert AuditEntry.objects.first().scheme.startswith("hmac-v1:")


def test_verify_fails_with_the_wrong_key(personas, settings):
    settings.AUDIT_KEY = "not-the-key-that-signed-the-trail"
    checked, problems = audit_verify()
    assert checked and len(problems) >= checked


def test_entries_signed_with_a_retired_key_verify_after_a_rotation(db, settings):
    settings.AUDIT_KEY = "the-first-key"
    audit_changes([Change("create", "department", "ROT-1")])
    settings.AUDIT_OLD_KEYS, settings.AUDIT_KEY = ["the-first-key"], "the-second-key"
    audit_changes([Change("create", "department", "ROT-2")])
    assert audit_verify()[1] == []
    settings.AUDIT_OLD_KEYS = []
    assert audit_verify()[1]  # forgetting the retired key leaves what it signed unverifiable


def _legacy_chain(chain: str, count: int) -> None:
    """``count`` unkeyed entries and their head, as the trail held them before it was keyed."""
    prev_hash, at = GENESIS, datetime.datetime(2025, 3, 5, 8, 30, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        for seq in range(1, count + 1):
            header = ["张三", "web", "10.0.0.1", "create", "event", f"L{seq}", "", ""]
            changes = {"before": {}, "after": {"title": "旧"}}
            digest = entry_hash(
                prev_hash=prev_hash,
                seq=seq,
                at=at,
                actor_id=None,
                header=header,
                changes_text=canonical_json(changes),
                chain=chain,
            )
            cursor.execute(
                "INSERT INTO audit_auditentry (chain, seq, at, actor_id, actor_name, source, ip, action,"
                " object_type, object_key, region_path, note, verb, changes, scheme, prev_hash, hash)"
                " VALUES (%s, %s, %s, NULL, %s, %s, %s, %s, %s, %s, %s, %s, '', %s, '', %s, %s)",
                [chain, seq, at, *header, canonical_json(changes), prev_hash, digest],
            )
            prev_hash = digest
    AuditHead.objects.update_or_create(chain=chain, defaults={"seq": count, "hash": prev_hash})


def test_unkeyed_entries_written_before_the_key_still_verify_with_keyed_ones_after(db):
    _legacy_chain("global", 3)
    audit_changes([Change("create", "department", "JY")])
    checked, problems = audit_verify()
    assert (checked, problems) == (4, [])


def test_a_chain_rewritten_whole_without_the_key_is_detected(db):
    _legacy_chain("global", 3)  # as if every keyed entry had been recomputed unkeyed
    _checked, problems = audit_verify()
    assert [problem.seq for problem in problems] == [3]


def test_a_keyed_entry_turned_into_an_unkeyed_one_is_detected(personas):
    last = AuditEntry.objects.filter(chain="global").order_by("-seq").first()
    _rewrite_from(last, scheme="", actor_name=last.actor_name)
    _checked, problems = audit_verify()
    assert [(problem.chain, problem.seq) for problem in problems] == [("global", last.seq)]


def test_production_without_an_audit_key_fails_the_system_check(settings, tmp_path):
    settings.PRODUCTION, settings.AUDIT_KEY = True, ""
    settings.AUDIT_KEY_FILE = tmp_path / "absent"
    assert "sanling.audit.E001" in [message.id for message in run_checks()]
    settings.AUDIT_KEY = "configured"
    assert "sanling.audit.E001" not in [message.id for message in run_checks()]


def test_the_key_file_made_on_first_use_is_readable_by_its_owner_only(settings, tmp_path):
    from sanling.audit.keys import signing_key

    settings.AUDIT_KEY, settings.AUDIT_KEY_FILE = "", tmp_path / "audit_key"
    scheme, key = signing_key()
    assert (settings.AUDIT_KEY_FILE.stat().st_mode & 0o777, len(key) >= 32) == (0o600, True)
    assert signing_key() == (scheme, key)
