"""Backing the database up and restoring it (``sanling backup PATH``, ``sanling restore PATH``).

PostgreSQL is dumped with ``pg_dump -Fc`` (one consistent snapshot, compressed, restorable table by table)
and restored with ``pg_restore`` in one transaction; SQLite is copied page by page with its online backup
API, which gives a consistent copy while the server keeps serving. A backup holds the whole database, the
audit trail included, but none of the keys kept outside it (``SECRET_KEY``, the data and audit keys): those
are backed up separately (docs/operations.md).

A restore refuses a database that already holds tables unless forced, and refuses a file that is not a
backup of the same kind of database. Both write an audit entry: the backup into the database it copied
(after the copy), the restore into the database it restored.
"""

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connections

from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot be done, said in Chinese for the operator."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    vendor: str
    size: int


def database_name(using: str = "default") -> str:
    """The name an operator types to confirm a restore: the database's name (a file name for SQLite)."""
    return Path(str(connections[using].settings_dict["NAME"])).name


def database_tables(using: str = "default") -> list[str]:
    """The tables the database holds now (an empty list for a fresh database)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def database_backup(*, path: str | Path, using: str = "default") -> BackupResult:
    """Write a consistent copy of the database to ``path`` (readable by its owner only) and audit it."""
    path = Path(path)
    connection = connections[using]
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    # Created private before anything is written: a backup holds everyone's data.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if connection.vendor == "sqlite":
            # A connection of its own, reading the last committed state: SQLite's backup waits forever on
            # a source connection that is in the middle of writing.
            source = sqlite3.connect(f"file:{connection.settings_dict['NAME']}?mode=ro", uri=True)
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
                source.close()
        elif connection.vendor == "postgresql":
            _run(
                [_binary("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial)],
                connection.settings_dict,
                database_arg=False,
            )
        else:
            raise BackupError(f"不支持备份 {connection.vendor} 数据库。")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    result = BackupResult(path=path, vendor=connection.vendor, size=path.stat().st_size)
    audit_changes(
        [Change(Action.CREATE, "backup", path.name[:64], after={"size": result.size}, verb="backup.created")]
    )
    return result


def database_restore(*, path: str | Path, force: bool = False, using: str = "default") -> list[str]:
    """Restore the backup at ``path`` into the database, which must hold no tables unless ``force``
    (then what the backup holds replaces what is there). Returns the tables it held before."""
    path = Path(path)
    connection = connections[using]
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。")
    with path.open("rb") as file:
        head = file.read(16)
    expected = SQLITE_MAGIC if connection.vendor == "sqlite" else PGDUMP_MAGIC
    if not head.startswith(expected):
        kind = "SQLite" if connection.vendor == "sqlite" else "PostgreSQL（pg_dump -Fc）"
        raise BackupError(f"{path.name} 不是 {kind} 备份文件，不能恢复到当前数据库。")
    existing = database_tables(using)
    if existing and not force:
        raise BackupError(
            f"目标数据库 {database_name(using)} 不是空的（已有 {len(existing)} 张表）。"
            "恢复会覆盖其中的数据；确需覆盖请加 --force。"
        )
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            # Replaces every page of the target: a forced restore leaves nothing of what was there.
            source.backup(connection.connection)
        finally:
            source.close()
    elif connection.vendor == "postgresql":
        connection.close()
        command = [
            _binary("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
        ]
        if existing:
            command += ["--clean", "--if-exists"]
        _run([*command, str(path)], connection.settings_dict, database_arg=True)
    else:
        raise BackupError(f"不支持恢复 {connection.vendor} 数据库。")
    audit_changes(
        [
            Change(
                Action.UPDATE,
                "backup",
                path.name[:64],
                after={"forced": bool(existing), "tables_before": len(existing)},
                verb="backup.restored",
            )
        ]
    )
    return existing


def _binary(name: str) -> str:
    folder = settings.BACKUP_PG_BIN_DIR
    found = shutil.which(name, path=folder) if folder else shutil.which(name)
    if not found:
        raise BackupError(
            f"找不到 {name}：请安装与数据库服务器同版本的 PostgreSQL 客户端（Debian：postgresql-client），"
            "或用 SANLING_PG_BIN_DIR 指明其目录。"
        )
    return found


def _run(command: list[str], settings_dict: dict, *, database_arg: bool) -> None:
    """Run a PostgreSQL client program against the configured database; the password goes through the
    environment, never the command line."""
    env = {**os.environ}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS", {})
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    name = str(settings_dict["NAME"])
    command = [*command[:1], "--dbname", name, *command[1:]] if database_arg else [*command, name]
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        detail = (completed.stderr or completed.stdout).strip().splitlines()
        raise BackupError(f"{Path(command[0]).name} 失败：{detail[-1] if detail else completed.returncode}")
