"""``sanling import PATH [--dry-run]``: load a data exchange bundle, all or nothing."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from sanling.core.progress import terminal_progress
from sanling.exchange.importer import bundle_import
from sanling.exchange.management.acting import acting_as, add_as_argument
from sanling.exchange.reader import BundleInvalid


class Command(BaseCommand):
    help = "导入数据交换包（CSV 文件夹、.zip 或 .xlsx）：全部成功或全部不写入。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="文件夹、.zip 或 .xlsx 的路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告将发生的变化，不写入")
        add_as_argument(parser)

    def handle(self, *args, path: str, dry_run: bool, as_user: str | None = None, **options):
        # A fresh database is migrated first, so `sanling import` works on a new install.
        call_command("migrate", interactive=False, verbosity=0)
        with translation.override("zh-hans"), acting_as(as_user) as scope:
            # A bar on stderr when it is a terminal (rows checked, then written); nothing when piped.
            bar = terminal_progress(self.stderr)
            try:
                result = bundle_import(path, dry_run=dry_run, scope=scope, progress=bar)
            except BundleInvalid as invalid:
                if bar is not None:
                    bar.close()
                    bar = None
                for error in invalid.errors:
                    self.stderr.write(str(error))
                raise CommandError(f"导入失败：发现 {len(invalid.errors)} 处错误，未写入任何数据。") from None
            finally:
                if bar is not None:
                    bar.close()
        for name, counts in result.files.items():
            self.stdout.write(
                f"{name}：新增 {counts.created}，更新 {counts.updated}，未变 {counts.unchanged}"
            )
        if dry_run:
            self.stdout.write(self.style.WARNING("试运行：以上为将发生的变化，未写入任何数据。"))
        elif result.changed:
            self.stdout.write(self.style.SUCCESS("导入完成。"))
        else:
            self.stdout.write(self.style.SUCCESS("导入完成：数据与系统一致，没有变化。"))
