"""``sanling export PATH``: write the data as a bundle (folder, .zip or .xlsx)."""

from django.core.management.base import BaseCommand

from sanling.exchange.exporter import bundle_export
from sanling.exchange.management.acting import acting_as, add_as_argument


class Command(BaseCommand):
    help = "导出数据交换包：路径以 .zip 结尾写压缩包，以 .xlsx 结尾写工作簿，否则写 CSV 文件夹。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="输出的文件夹、.zip 或 .xlsx 路径")
        parser.add_argument("--chinese-headers", action="store_true", help="表头使用中文列名")
        add_as_argument(parser)

    def handle(self, *args, path: str, chinese_headers: bool, as_user: str | None = None, **options):
        with acting_as(as_user) as scope:
            counts = bundle_export(path, chinese_headers=chinese_headers, scope=scope)
        summary = "，".join(f"{name} {count} 行" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"已导出到 {path}：{summary}"))
