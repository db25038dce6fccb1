# On PostgreSQL, a trigger refuses every UPDATE and DELETE of an audit entry, whatever issues it (the
# application, a cascade, a stray statement at a psql prompt). TRUNCATE is left to `sanling flush`, which
# guards itself, and to the test runner. A later migration that must rewrite entries switches the trigger
# off around its work (ALTER TABLE audit_auditentry DISABLE/ENABLE TRIGGER audit_entry_append_only), which
# only the table's owner can: the database role the application runs as should not be that owner
# (docs/operations.md). Someone who is can switch it off too; the keyed chain and the anchors catch them.

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_entry_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # no parameters: the % in RAISE stays as it is
            cursor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0004_keyed_chain"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
