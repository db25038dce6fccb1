"""Entries written before the chains existed become the start of the global chain, unchanged, and verify."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sanling.audit.models import AuditEntry, AuditHead
from sanling.audit.selectors import audit_verify_chains
from sanling.audit.services import GENESIS, Change, audit_changes, canonical_json, entry_hash

BEFORE = [("audit", "0002_alter_auditentry_actor")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_entries_of_the_single_chain_verify_as_the_global_chain_after_the_migration():
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("audit")
    _migrate(BEFORE)
    prev_hash, at = GENESIS, datetime.datetime(2025, 3, 5, 8, 30, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        for seq, (key, path) in enumerate(
            [("E1", "/410000000000/411100000000/411103000000/"), ("JY", "")], 1
        ):
            header = ["张三", "web", "10.0.0.1", "create", "event", key, path, ""]
            changes = {"before": {}, "after": {"title": "旧"}}
            digest = entry_hash(
                prev_hash=prev_hash,
                seq=seq,
                at=at,
                actor_id=None,
                header=header,
                changes_text=canonical_json(changes),
            )
            cursor.execute(
                "INSERT INTO audit_auditentry (seq, at, actor_id, actor_name, source, ip, action, object_type,"
                " object_key, region_path, note, changes, prev_hash, hash)"
                " VALUES (%s, %s, NULL, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                [seq, at, *header, canonical_json(changes), prev_hash, digest],
            )
            prev_hash = digest
        cursor.execute("DELETE FROM audit_audithead")  # the single head row, as 0001 made it
        cursor.execute("INSERT INTO audit_audithead (id, seq, hash) VALUES (1, 2, %s)", [prev_hash])
    _migrate(latest)
    assert set(AuditEntry.objects.values_list("chain", flat=True)) == {"global"}
    assert AuditHead.objects.get().chain == "global"
    (report,) = audit_verify_chains()
    assert (report.chain, report.checked, report.problems) == ("global", 3, [])  # and the keyed seal
    audit_changes([Change("create", "event", "E2", "/410000000000/411100000000/411103000000/")])
    reports = audit_verify_chains()
    assert [(report.chain, report.checked, report.problems) for report in reports] == [
        ("411103000000", 1, []),
        ("global", 4, []),  # and the chain opened
    ]
