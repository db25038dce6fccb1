"""``sanling export PATH``: write the data as a bundle (folder, .zip or .xlsx)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from sanling.exchange.exporter import bundle_export
from sanling.exchange.management.acting import acting_as, add_as_argument


class Command(BaseCommand):
    help = "导出数据交换包：路径以 .zip 结尾写压缩包，以 .xlsx 结尾写工作簿，否则写 CSV 文件夹。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="输出的文件夹、.zip 或 .xlsx 路径")
        parser.add_argument("--chinese-headers", action="store_true", help="表头使用中文列名")
        parser.add_argument(
            "--reason",
            default="",
            help="与 --as 同用：以明文导出联系人的理由（记入审计）；不给则联系人以掩码导出",
        )
        add_as_argument(parser)

    def handle(
        self, *args, path: str, chinese_headers: bool, reason: str = "", as_user: str | None = None, **options
    ):
        with acting_as(as_user) as scope:
            try:
                counts = bundle_export(
                    path, chinese_headers=chinese_headers, scope=scope, unmask_reason=reason
                )
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
            except PermissionDenied as error:
                raise CommandError(str(error) or "无权以明文导出个人信息。") from None
        summary = "，".join(f"{name} {count} 行" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}：{summary}"))
