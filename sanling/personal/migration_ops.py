"""Data migrations for personal fields: encrypt the rows written before a field was encrypted (and, going
back, decrypt them), computing blind indexes on the way. Raw SQL, because a migration's historical model
would try to decrypt the plaintext it reads.

Reversible: going back writes the plaintext again (which is only possible with the key)."""

from collections.abc import Callable, Mapping

from django.db import migrations

from . import crypto

BATCH = 1000


def _columns(schema_editor, model, fields: list[str], indexes: Mapping[str, str]):
    quote = schema_editor.quote_name
    table = quote(model._meta.db_table)
    columns = [quote(model._meta.get_field(name).column) for name in fields]
    index_columns = [quote(model._meta.get_field(index).column) for index in indexes.values()]
    return table, columns, index_columns


def encrypt_existing(
    app_label: str,
    model_name: str,
    fields: list[str],
    indexes: Mapping[str, str] | None = None,
    normalizers: Mapping[str, Callable[[str], str]] | None = None,
) -> migrations.RunPython:
    """A ``RunPython`` that encrypts ``fields`` of every row of ``app_label.model_name`` in place and fills
    ``indexes`` (source field -> blind index field) from the normalised plaintext (``normalizers``)."""
    indexes = dict(indexes or {})
    normalizers = dict(normalizers or {})
    label = f"{app_label}.{model_name.lower()}"

    def context(name: str) -> str:
        return f"{label}.{name}"

    def rows(schema_editor, model, columns, table):
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {', '.join(columns)} FROM {table}")  # noqa: S608 (quoted names)
            return cursor.fetchall()

    def write(schema_editor, sql: str, params: list) -> None:
        with schema_editor.connection.cursor() as cursor:
            for start in range(0, len(params), BATCH):
                cursor.executemany(sql, params[start : start + BATCH])

    def forward(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        table, columns, index_columns = _columns(schema_editor, model, fields, indexes)
        params = []
        for pk, *values in rows(schema_editor, model, columns, table):
            if not any(values) or all(not value or crypto.is_ciphertext(value) for value in values):
                continue
            plain = dict(zip(fields, values, strict=True))
            sealed = [
                crypto.encrypt(value, context=context(name))
                if value and not crypto.is_ciphertext(value)
                else value
                for name, value in plain.items()
            ]
            index_values = []
            for source in indexes:
                value = plain[source]
                if value and crypto.is_ciphertext(value):
                    value = crypto.decrypt(value, context=context(source))
                normalized = normalizers.get(source, str)(value or "")
                index_values.append(
                    crypto.blind_index(normalized, context=context(source)) if normalized else ""
                )
            params.append([*sealed, *index_values, pk])
        assignments = ", ".join(f"{column} = %s" for column in [*columns, *index_columns])
        write(schema_editor, f"UPDATE {table} SET {assignments} WHERE id = %s", params)  # noqa: S608

    def backward(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        table, columns, index_columns = _columns(schema_editor, model, fields, indexes)
        params = []
        for pk, *values in rows(schema_editor, model, columns, table):
            if not any(value and crypto.is_ciphertext(value) for value in values):
                continue
            plain = [
                crypto.decrypt(value, context=context(name))
                if value and crypto.is_ciphertext(value)
                else value
                for name, value in zip(fields, values, strict=True)
            ]
            params.append([*plain, *([""] * len(index_columns)), pk])
        assignments = ", ".join(f"{column} = %s" for column in [*columns, *index_columns])
        write(schema_editor, f"UPDATE {table} SET {assignments} WHERE id = %s", params)  # noqa: S608

    return migrations.RunPython(forward, backward, elidable=False)
