import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sanling.subjects.models import Subject

BEFORE = [("subjects", "0004_refs_safe_pattern")]


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


def raw_contact() -> tuple[str, str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone, contact_phone_index FROM subjects_subject")
        return cursor.fetchone()


@pytest.fixture
def plaintext_row(county):
    """A subject written in clear, as every release before the encryption wrote it."""
    executor = migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("subjects", "Subject")
    old.objects.create(
        code="V9",
        name="金牛社区",
        kind="community",
        region_id=county["jinniu"].pk,
        contact_name="张三",
        contact_phone="13800000001",
        joined_on="2025-01-01",
    )
    yield
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_the_rows_stored_in_clear(plaintext_row):
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    name, phone, index = raw_contact()
    assert "张三" not in name and "13800000001" not in phone and index
    assert Subject.objects.values_list("contact_name", "contact_phone").get() == ("张三", "13800000001")


@pytest.mark.django_db(transaction=True)
def test_migrating_back_writes_the_rows_in_clear_again(plaintext_row):
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    migrate(BEFORE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_name, contact_phone FROM subjects_subject")
        assert cursor.fetchone() == ("张三", "13800000001")
