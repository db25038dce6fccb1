"""Typed confirmations for the commands that can destroy data (``flush``, ``demo --reset``, demo data over
a database holding other data): the operator names the database they mean, on the command line
(``--confirm=NAME``) or typed at a prompt (``--force``), so that a command run against the wrong
database by mistake (a production ``DATABASE_URL`` left in the shell) stops instead."""

import sys
from pathlib import Path

from django.db import connection


def database_label() -> str:
    """The database's name as an operator types it: the PostgreSQL database, or the SQLite file's name."""
    name = str(connection.settings_dict["NAME"])
    return Path(name).name if connection.vendor == "sqlite" else name


def database_named(*, confirm: str | None, force: bool, prompt: str) -> bool:
    """Whether the operator named this database: ``confirm`` given equal to it, or, with ``force`` at a
    terminal, typed at ``prompt``. Never true without one of the two."""
    expected = database_label()
    if confirm is not None:
        return confirm.strip() == expected
    if force and sys.stdin.isatty():
        return input(f"{prompt}\n请输入数据库名 {expected} 以确认：").strip() == expected
    return False


def yes_asked(*, yes: bool, prompt: str) -> bool:
    """``--yes``, or "yes" typed at a terminal; never true when nobody can answer."""
    if yes:
        return True
    if not sys.stdin.isatty():
        return False
    return input(f"{prompt}\n输入 yes 继续：").strip().lower() == "yes"
