"""``sanling restore PATH``: restore a backup made by ``sanling backup`` into the configured database."""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sanling.core.backups import BackupError, database_name, database_restore, database_tables


class Command(BaseCommand):
    help = (
        "从 sanling backup 生成的备份恢复数据库。目标数据库须为空，否则需 --force；"
        "生产环境（SANLING_ENV=production）还须键入数据库名称确认。恢复后请运行 sanling migrate、"
        "sanling recompute --check 和 sanling audit verify。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件")
        parser.add_argument("--force", action="store_true", help="目标数据库不为空时仍然恢复（覆盖现有数据）")
        parser.add_argument(
            "--confirm",
            metavar="DATABASE",
            help="生产环境中代替交互确认：键入目标数据库的名称",
        )

    def handle(self, *args, path: str, force: bool, confirm: str | None, **options):
        name = database_name()
        if settings.PRODUCTION:
            if confirm is None and sys.stdin.isatty():
                tables = len(database_tables())
                self.stdout.write(f"生产环境：将把 {path} 恢复到数据库 {name}（现有 {tables} 张表）。")
                confirm = input(f"请键入数据库名称 {name} 以确认：").strip()
            if confirm != name:
                raise CommandError(
                    f"生产环境中恢复须确认：键入数据库名称 {name}（或加 --confirm {name}）。未做任何改动。"
                )
        try:
            existing = database_restore(path=path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        replaced = f"，覆盖了原有的 {len(existing)} 张表" if existing else ""
        self.stdout.write(self.style.SUCCESS(f"已从 {path} 恢复数据库 {name}{replaced}。"))
