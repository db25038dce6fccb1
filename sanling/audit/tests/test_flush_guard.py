"""``sanling flush`` typed at a shell does not erase the audit trail without the database named, and never
runs in production."""

import io

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from sanling.audit.management.commands.flush import Command as Flush
from sanling.audit.models import AuditEntry
from sanling.audit.services import Change, audit_changes
from sanling.core.confirm import database_label

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(db):
    audit_changes([Change("create", "department", "JY")])


def typed_flush() -> Flush:
    """The command as ``sanling flush`` at a shell runs it (``run_from_argv`` also closes the connections)."""
    command = Flush()
    command.typed = True
    return command


def test_flush_is_refused_when_audit_entries_exist(trail):
    with pytest.raises(CommandError, match="审计日志"):
        call_command(typed_flush(), "--noinput")
    assert AuditEntry.objects.exists()


def test_flush_with_the_wrong_database_named_is_refused(trail):
    with pytest.raises(CommandError):
        call_command(typed_flush(), "--noinput", "--force", "--confirm=sanling")
    assert AuditEntry.objects.exists()


def test_flush_with_the_database_named_runs(trail):
    call_command(typed_flush(), "--noinput", "--force", f"--confirm={database_label()}")
    assert not AuditEntry.objects.exists()


def test_flush_is_refused_in_production_even_when_confirmed(trail, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command(typed_flush(), "--noinput", "--force", f"--confirm={database_label()}")
    assert AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_sanling_flush_at_the_shell_is_the_guarded_command(capsys):
    audit_changes([Change("create", "department", "JY")])
    with pytest.raises(SystemExit):
        execute_from_command_line(["sanling", "flush", "--noinput"])
    assert "审计日志" in capsys.readouterr().err
    assert AuditEntry.objects.exists()


class Terminal(io.StringIO):
    """A terminal where the operator types ``text``."""

    def isatty(self) -> bool:
        return True


def test_flush_with_force_runs_when_the_database_name_is_typed(trail, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal(f"{database_label()}\n"))
    call_command(typed_flush(), "--noinput", "--force")
    assert not AuditEntry.objects.exists()


def test_flush_with_force_and_another_name_typed_is_refused(trail, monkeypatch):
    monkeypatch.setattr("sys.stdin", Terminal("yes\n"))
    with pytest.raises(CommandError):
        call_command(typed_flush(), "--noinput", "--force")
    assert AuditEntry.objects.exists()


def test_a_flushed_database_has_what_the_migrations_seeded_again(trail):
    """``demo --reset`` flushes, then looks up the dispute categories: before, they were gone with the flush
    and the demo stopped on "劳动争议"."""
    from sanling.assessment.models import Policy
    from sanling.dictionary.models import Entry
    from sanling.work.models import DeadlineRuleSet

    seeded = {
        "entries": set(Entry.objects.values_list("type", "code")),
        "rule sets": set(DeadlineRuleSet.objects.values_list("code", flat=True)),
        "policies": set(Policy.objects.values_list("version", flat=True)),
    }
    call_command("flush", interactive=False, verbosity=0)
    assert Entry.objects.filter(type="dispute_category", code="劳动争议").exists()
    assert {
        "entries": set(Entry.objects.values_list("type", "code")),
        "rule sets": set(DeadlineRuleSet.objects.values_list("code", flat=True)),
        "policies": set(Policy.objects.values_list("version", flat=True)),
    } == seeded
