"""The demo never writes over a database that is not its own without the operator naming it, never runs
in production, asks before ``--reset`` empties anything, and audits the accounts it makes."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from sanling.audit.models import AuditEntry
from sanling.core.confirm import database_label
from sanling.demo.services import DEMO_ACTOR, DEMO_PASSWORD, demo_foreign_data, demo_mark, demo_users_create
from sanling.regions.models import Level
from sanling.regions.services import region_create

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def production_admin(db):
    return User.objects.create_superuser("admin", password="a-real-password-1")


def test_demo_is_refused_on_a_database_with_a_region_it_did_not_make(db):
    region_create(code="110000000000", name="北京市", level=Level.PROVINCE)
    with pytest.raises(CommandError, match="演示程序以外的数据"):
        call_command("demo", "--no-serve")
    assert not User.objects.exists()


def test_demo_is_refused_on_a_database_with_an_account_it_did_not_make(production_admin):
    with pytest.raises(CommandError, match=f"--confirm={database_label()}"):
        call_command("demo", "--no-serve")
    production_admin.refresh_from_db()
    assert production_admin.check_password("a-real-password-1")


def test_on_a_demo_database_an_account_the_demo_did_not_make_counts(db):
    demo_mark()
    demo_users_create()
    assert demo_foreign_data() == []
    User.objects.create_user("zhangsan")
    assert demo_foreign_data() == ["1 个非演示账号（如 zhangsan）"]


def test_demo_with_the_wrong_database_named_is_refused(production_admin):
    with pytest.raises(CommandError):
        call_command("demo", "--no-serve", "--confirm=production")
    assert not AuditEntry.objects.filter(verb="demo.loaded").exists()


def test_demo_forced_with_the_database_named_writes(county, production_admin):
    call_command("demo", "--no-serve", f"--confirm={database_label()}")
    production_admin.refresh_from_db()
    assert production_admin.check_password(DEMO_PASSWORD)
    assert AuditEntry.objects.filter(verb="demo.loaded").exists()


def test_reset_without_yes_or_confirmation_does_nothing(db):
    demo_mark()
    with pytest.raises(CommandError, match="--yes"):
        call_command("demo", "--reset", "--no-serve")
    assert AuditEntry.objects.filter(verb="demo.loaded").exists()


def test_demo_is_refused_in_production(db, settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo", "--no-serve", f"--confirm={database_label()}")
    assert not User.objects.exists()


def test_reset_is_refused_in_production_even_with_yes(db, settings):
    demo_mark()
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="生产环境"):
        call_command("demo", "--reset", "--yes", "--no-serve", f"--confirm={database_label()}")
    assert AuditEntry.objects.filter(verb="demo.loaded").exists()


def test_the_demo_accounts_are_audited_as_created_by_the_demo(db):
    demo_users_create()
    entries = AuditEntry.objects.filter(action="create").exclude(object_type="auditchain")
    assert sorted(entry.object_key for entry in entries) == sorted(
        ["admin", "county", "shabei", "grid", "jiaoyu", "leader", "audit", "sysadmin", "security"]
    )
    assert {(entry.actor_name, entry.changes["after"]["password"]) for entry in entries} == {
        (DEMO_ACTOR, "******")
    }


def test_running_the_demo_accounts_again_writes_no_entry(db):
    demo_users_create()
    count = AuditEntry.objects.count()
    demo_users_create()
    assert AuditEntry.objects.count() == count


def test_reset_asks_and_does_nothing_unless_yes_is_typed(db, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    demo_mark()
    monkeypatch.setattr("sys.stdin", Terminal("no\n"))
    with pytest.raises(CommandError, match="--yes"):
        call_command("demo", "--reset", "--no-serve")
    assert AuditEntry.objects.filter(verb="demo.loaded").exists()
