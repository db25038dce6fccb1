"""``sanling backup PATH``: a consistent copy of the whole database (pg_dump -Fc, or SQLite's online backup)."""

from django.core.management.base import BaseCommand, CommandError

from sanling.core.backups import BackupError, database_backup


class Command(BaseCommand):
    help = "备份整个数据库（含审计日志）到 PATH：PostgreSQL 用 pg_dump -Fc，SQLite 用在线备份。密钥不在其中，须另行备份。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="备份文件路径（写入时仅属主可读）")

    def handle(self, *args, path: str, **options):
        try:
            result = database_backup(path=path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"已备份到 {result.path}（{result.vendor}，{result.size} 字节）。")
        )
