"""``sanling personal newkey|status|rotate``: the data key's life (see docs/operations.md).

- ``newkey`` prints a fresh key for ``SANLING_DATA_KEY`` or the key file.
- ``status`` counts, per encrypted field, the values under each key id: a rotation is finished when every
  value is under the first (current) key.
- ``rotate`` re-encrypts every value not under the current key and recomputes the blind indexes, in
  batches; it can be interrupted and run again.
"""

from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from sanling.audit.models import Action
from sanling.audit.services import Change, audit_changes
from sanling.personal import crypto
from sanling.personal.fields import PERSONAL_FIELDS, with_indexes

BATCH = 1000


def _models():
    by_name = {model._meta.model_name: model for model in apps.get_models()}
    return [
        (by_name[name], list(fields)) for name, fields in sorted(PERSONAL_FIELDS.items()) if name in by_name
    ]


def _raw(model, fields):
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quote(model._meta.pk.column)}, {columns} FROM {quote(model._meta.db_table)}")  # noqa: S608
        return cursor.fetchall()


class Command(BaseCommand):
    help = "数据密钥：newkey 生成新密钥，status 查看各密钥加密的数据量，rotate 用当前密钥重新加密。"
    # ``newkey`` must run where no key is configured yet, which the system check refuses in production.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["newkey", "status", "rotate"])

    def handle(self, *args, action: str, **options):
        getattr(self, f"do_{action}")()

    def do_newkey(self) -> None:
        self.stdout.write(crypto.new_key_text())

    def do_status(self) -> None:
        current = crypto.keys()[0].id
        self.stdout.write(f"当前密钥：{current}")
        for model, fields in _models():
            for position, name in enumerate(fields, start=1):
                counts = Counter(
                    crypto.key_id_of(row[position]) for row in _raw(model, fields) if row[position]
                )
                summary = "，".join(f"{kid} {count} 条" for kid, count in sorted(counts.items())) or "无数据"
                self.stdout.write(f"{model._meta.label}.{name}：{summary}")

    def do_rotate(self) -> None:
        current = crypto.keys()[0].id
        for model, fields in _models():
            stale = [
                row[0]
                for row in _raw(model, fields)
                if any(value and crypto.key_id_of(value) != current for value in row[1:])
            ]
            for start in range(0, len(stale), BATCH):
                with transaction.atomic():
                    batch = list(
                        model.objects.filter(pk__in=stale[start : start + BATCH]).only("pk", *fields)
                    )
                    model.objects.bulk_update(batch, with_indexes(model, fields))
            if stale:
                audit_changes(
                    [
                        Change(
                            Action.UPDATE,
                            "datakey",
                            current,
                            after={"model": model._meta.label, "rows": len(stale)},
                            verb="personal.key_rotated",
                        )
                    ]
                )
            self.stdout.write(f"{model._meta.label}：{len(stale)} 条改用密钥 {current} 加密")
