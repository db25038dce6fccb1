"""Retention: entries are kept at least 180 days and never deleted by the application; old entries are
archived to a file that verifies without the database. Anchors outside the database catch a chain cut
back or emptied, which the key alone cannot."""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from sanling.audit.keys import signing_key
from sanling.audit.models import AppendOnly, AuditEntry, AuditHead
from sanling.audit.services import GENESIS, Change, audit_changes, canonical_json, entry_hash

from .tampering import owner_cursor

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=400)


def _old_entries(count: int) -> None:
    """``count`` keyed entries of the global chain written 400 days ago."""
    scheme, key = signing_key()
    prev_hash = GENESIS
    with connection.cursor() as cursor:
        for seq in range(1, count + 1):
            header = ["county", "web", "10.0.0.1", "create", "department", f"D{seq}", "", ""]
            changes = {"before": {}, "after": {"name": f"部门{seq}"}}
            digest = entry_hash(
                prev_hash=prev_hash,
                seq=seq,
                at=LONG_AGO,
                actor_id=None,
                header=header,
                changes_text=canonical_json(changes),
                scheme=scheme,
                key=key,
            )
            cursor.execute(
                "INSERT INTO audit_auditentry (chain, seq, at, actor_id, actor_name, source, ip, action,"
                " object_type, object_key, region_path, note, verb, changes, scheme, prev_hash, hash)"
                " VALUES ('global', %s, %s, NULL, %s, %s, %s, %s, %s, %s, %s, %s, '', %s, %s, %s, %s)",
                [seq, LONG_AGO, *header, canonical_json(changes), scheme, prev_hash, digest],
            )
            prev_hash = digest
    AuditHead.objects.update_or_create(chain="global", defaults={"seq": count, "hash": prev_hash})


@pytest.fixture
def trail(db):
    _old_entries(3)
    audit_changes([Change("create", "department", "NEW")])  # today: not archived
    assert AuditEntry.objects.count() == 4


def _cutoff() -> str:
    return (timezone.localdate() - datetime.timedelta(days=180)).isoformat()


def test_archive_writes_the_entries_before_the_date_with_their_hashes(trail, tmp_path):
    call_command("audit", "archive", "--before", _cutoff(), "--to", str(tmp_path / "a.jsonl"))
    summary, *rows = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert summary["chains"]["global"]["last"] == 3
    assert [(row["object_key"], row["hash"]) for row in rows] == list(
        AuditEntry.objects.filter(seq__lte=3).order_by("seq").values_list("object_key", "hash")
    )


def test_archive_deletes_nothing(trail, tmp_path):
    call_command("audit", "archive", "--before", _cutoff(), "--to", str(tmp_path / "a.jsonl"))
    assert AuditEntry.objects.count() == 4
    call_command("audit", "verify")


def test_an_archive_verifies_offline_and_a_changed_line_in_it_does_not(trail, tmp_path, capsys):
    path = tmp_path / "a.jsonl"
    call_command("audit", "archive", "--before", _cutoff(), "--to", str(path))
    call_command("audit", "verify", "--archive", str(path))
    assert "校验通过" in capsys.readouterr().out
    path.write_text(path.read_text().replace("部门2", "部门X"))
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--archive", str(path))


def test_archive_refuses_a_date_within_the_retention_period(trail, tmp_path):
    too_recent = (timezone.localdate() - datetime.timedelta(days=179)).isoformat()
    with pytest.raises(CommandError, match="180"):
        call_command("audit", "archive", "--before", too_recent, "--to", str(tmp_path / "a.jsonl"))
    assert not (tmp_path / "a.jsonl").exists()


def test_the_retention_period_cannot_be_set_below_180_days(monkeypatch):
    import importlib

    import sanling.settings

    monkeypatch.setenv("SANLING_AUDIT_RETENTION_DAYS", "30")
    assert importlib.reload(sanling.settings).AUDIT_RETENTION_DAYS == 180
    monkeypatch.delenv("SANLING_AUDIT_RETENTION_DAYS")
    importlib.reload(sanling.settings)


def test_the_application_refuses_to_update_or_delete_entries_in_bulk(trail):
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(seq=1).delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(seq=1).update(note="x")
    assert AuditEntry.objects.count() == 4


def test_verify_against_an_anchor_passes_on_an_untouched_trail(trail, tmp_path, capsys):
    call_command("audit", "anchor", "--to", str(tmp_path / "anchors"))
    call_command("audit", "verify", "--anchor", str(tmp_path / "anchors"))
    assert "未被截断或改写" in capsys.readouterr().out


def test_verify_against_an_anchor_detects_a_chain_cut_back_since(trail, tmp_path):
    call_command("audit", "anchor", "--to", str(tmp_path / "anchors"))
    last = AuditHead.objects.get(chain="global")
    with owner_cursor() as cursor:  # cut the newest entry off and move the head back: still signed
        cursor.execute("DELETE FROM audit_auditentry WHERE chain = 'global' AND seq = %s", [last.seq])
        previous = AuditEntry.objects.get(chain="global", seq=last.seq - 1)
        cursor.execute(
            "UPDATE audit_audithead SET seq = %s, hash = %s WHERE id = %s",
            [previous.seq, previous.hash, last.pk],
        )
    call_command("audit", "verify")  # the key alone cannot see it
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchor", str(tmp_path / "anchors"))


def test_an_anchor_file_edited_by_hand_is_refused(trail, tmp_path):
    path = tmp_path / "anchors"
    call_command("audit", "anchor", "--to", str(path))
    record = json.loads(path.read_text())
    record["heads"]["global"][0] = 1
    path.write_text(json.dumps(record) + "\n")
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--anchor", str(path))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize(
    "sql",
    ["UPDATE audit_auditentry SET note = 'x' WHERE seq = 1", "DELETE FROM audit_auditentry WHERE seq = 1"],
)
def test_postgresql_refuses_updates_and_deletes_of_entries_even_in_plain_sql(trail, sql):
    from django.db import DatabaseError, transaction

    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.count() == 4
