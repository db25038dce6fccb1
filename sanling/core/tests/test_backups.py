"""``sanling backup`` and ``sanling restore``: a backup restored into a fresh database gives the same 达标率,
a clean ``recompute --check`` and a passing ``audit verify``, on SQLite and on PostgreSQL; a restore never
overwrites a database silently (issue 14, item 14)."""

import io
import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from sanling.audit.models import AuditEntry

RATES = ["rates", "--region", "411103000000", "--period", "2025", "--by", "child", "--format", "json"]


def sanling(database_url: str, var_dir, *arguments: str) -> subprocess.CompletedProcess:
    """Run the ``sanling`` command against another database, as an operator would."""
    env = {**os.environ, "DATABASE_URL": database_url, "SANLING_VAR_DIR": str(var_dir)}
    env.pop("SANLING_ENV", None)
    # The keys travel apart from the backup (docs/operations.md): the restoring machine has the same ones.
    env["SANLING_AUDIT_KEY_FILE"] = str(settings.AUDIT_KEY_FILE)
    env["SANLING_DATA_KEY_FILE"] = str(settings.SANLING_DATA_KEY_FILE)
    return subprocess.run(
        [sys.executable, "-m", "sanling.cli", *arguments],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def rates_here() -> list[dict]:
    out = io.StringIO()
    call_command(*RATES, stdout=out)
    return json.loads(out.getvalue())


def assert_restored_like_the_original(database_url: str, backup, var_dir) -> None:
    restored = sanling(database_url, var_dir, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    rates = sanling(database_url, var_dir, *RATES)
    assert rates.returncode == 0, rates.stderr
    assert json.loads(rates.stdout) == rates_here()
    check = sanling(database_url, var_dir, "recompute", "--check")
    assert check.returncode == 0, check.stdout + check.stderr
    verify = sanling(database_url, var_dir, "audit", "verify")
    assert verify.returncode == 0 and "审计日志完整" in verify.stdout, verify.stderr
    again = sanling(database_url, var_dir, "restore", str(backup))
    assert again.returncode != 0 and "不是空的" in again.stderr


@pytest.fixture
def world(personas):
    # Something to get right: both towns have events breaking a zero in 2025.
    assert any(row["compliant"] != row["active"] for row in rates_here())
    return personas


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite round trip")
def test_a_sqlite_backup_restores_into_a_fresh_database_identically(world, tmp_path):
    backup = tmp_path / "sanling.backup"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.read_bytes().startswith(b"SQLite format 3\x00")
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    assert_restored_like_the_original(f"sqlite:///{tmp_path / 'restored.sqlite3'}", backup, tmp_path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL round trip")
def test_a_postgresql_backup_restores_into_a_fresh_database_identically(world, tmp_path):
    import psycopg

    backup = tmp_path / "sanling.dump"
    call_command("backup", str(backup), stdout=io.StringIO())
    assert backup.read_bytes().startswith(b"PGDMP")
    settings = connection.settings_dict
    scratch = f"sanling_restore_{uuid.uuid4().hex[:12]}"
    server = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        url = f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:{settings['PORT']}/{scratch}"
        assert_restored_like_the_original(url, backup, tmp_path)
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_backup_is_audited(personas, tmp_path):
    call_command("backup", str(tmp_path / "one.backup"), stdout=io.StringIO())
    assert AuditEntry.objects.filter(verb="backup.created", object_key="one.backup").exists()


@pytest.mark.django_db
def test_a_restore_refuses_a_database_that_is_not_empty(personas, tmp_path):
    call_command("backup", str(tmp_path / "one.backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(tmp_path / "one.backup"), stdout=io.StringIO())


@pytest.mark.django_db
def test_a_restore_refuses_a_file_that_is_no_backup(personas, tmp_path):
    fake = tmp_path / "fake.backup"
    fake.write_bytes(b"just some text")
    with pytest.raises(CommandError, match="不是 .* 备份文件"):
        call_command("restore", str(fake), "--force", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_restore_in_production_needs_the_database_name_typed(personas, tmp_path, settings):
    settings.PRODUCTION = True
    call_command("backup", str(tmp_path / "one.backup"), stdout=io.StringIO())
    with pytest.raises(CommandError, match="须确认"):
        call_command("restore", str(tmp_path / "one.backup"), "--force", stdout=io.StringIO())
    with pytest.raises(CommandError, match="须确认"):
        call_command(
            "restore", str(tmp_path / "one.backup"), "--force", "--confirm", "wrong", stdout=io.StringIO()
        )
