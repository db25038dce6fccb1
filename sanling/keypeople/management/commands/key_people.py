"""``sanling key_people import FILE [--dry-run]`` and ``sanling key_people export FILE [--reason R]``.

Import: every row checked first, all of it written in one transaction or nothing (the problems listed by row);
the same file twice changes nothing. Export: identities masked unless ``--reason`` is given by someone who may
unmask (the operator, or ``--as`` a county administrator), and then the export is one audited read."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sanling.accounts.scope import EVERYTHING
from sanling.audit.services import audit_export
from sanling.exchange.management.acting import acting_as, add_as_argument
from sanling.personal.access import may_unmask
from sanling.personal.fields import exported_fields
from sanling.personal.services import personal_unmask_export

from ...exports import csv_write
from ...importer import key_people_import
from ...models import KeyPerson
from ...selectors import key_people


class Command(BaseCommand):
    help = "导入或导出重点人群（key_people.csv）"

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="导入 key_people.csv")
        load.add_argument("file")
        load.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        add_as_argument(load)
        dump = sub.add_parser("export", help="导出 key_people.csv")
        dump.add_argument("file")
        dump.add_argument("--reason", default="", help="明文导出身份信息的理由（记入审计）")
        add_as_argument(dump)

    def handle(self, *args, action: str, file: str, as_user=None, **options) -> None:
        with acting_as(as_user) as scope:
            actor = None
            if scope is not EVERYTHING:
                from django.contrib.auth import get_user_model

                actor = get_user_model().objects.get(pk=scope.user_id)
            if action == "import":
                self._import(actor, Path(file), dry_run=options["dry_run"])
            else:
                self._export(scope, actor, Path(file), reason=options["reason"].strip())

    def _import(self, actor, path: Path, *, dry_run: bool) -> None:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"找不到文件 {path}") from None
        except UnicodeDecodeError:
            raise CommandError("文件不是 UTF-8 编码；请另存为“CSV UTF-8”后再试。") from None
        report = key_people_import(actor=actor, text=text, dry_run=dry_run)
        if report.errors:
            raise CommandError("未导入任何数据：\n" + "\n".join(report.errors))
        prefix = "检查通过（未写入）" if dry_run else "导入完成"
        self.stdout.write(f"{prefix}：新增 {report.created}，更新 {report.updated}，未变 {report.unchanged}")

    def _export(self, scope, actor, path: Path, *, reason: str) -> None:
        rows = key_people(scope).select_related("post").order_by("ref")
        count = rows.count()
        full = bool(reason) and may_unmask(scope) and count > 0
        if reason and not may_unmask(scope):
            raise CommandError("该用户不能明文导出身份信息。")
        if full and actor is not None:
            personal_unmask_export(
                user=actor,
                model=KeyPerson,
                count=count,
                reason=reason,
                what=f"导出 {count} 行重点人群（CSV）",
            )
        elif full:
            _operator_read(count, reason)
        with path.open("w", encoding="utf-8-sig", newline="") as out:
            written = csv_write(rows.iterator(chunk_size=2000), out, full=full)
        audit_export(
            what="key_people",
            region_path=scope.region.path if scope.region else "",
            rows={"key_people": written},
            file_format="csv",
            personal_fields=exported_fields("keyperson", clear=full),
        )
        self.stdout.write(f"已导出 {written} 行到 {path}（身份信息{'明文' if full else '已脱敏'}）")


def _operator_read(count: int, reason: str) -> None:
    """The operator at the shell (full scope) reads in clear: audited as the same unmask entry."""
    from sanling.audit.models import Action
    from sanling.audit.services import Change, audit_changes
    from sanling.personal.services import UNMASKED, clean_reason

    audit_changes(
        [
            Change(
                Action.READ_CONTACT,
                "keyperson",
                "export",
                "",
                after={"rows": count},
                note=f"导出 {count} 行重点人群（CSV）：{clean_reason(reason)}"[:200],
                verb=UNMASKED,
            )
        ]
    )
